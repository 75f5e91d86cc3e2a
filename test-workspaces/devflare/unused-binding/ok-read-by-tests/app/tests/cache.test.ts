import { beforeAll, expect, test } from 'bun:test'
import { env } from 'devflare'
import { createTestContext } from 'devflare/test'

beforeAll(async () => {
	await createTestContext()
})

test('the cache starts empty', async () => {
	expect(await env.CACHE.get('page')).toBeNull()
})
