import alchemy from "alchemy";
import {
  D1Database,
  DurableObjectNamespace,
  Queue,
  Worker,
  Workflow,
  type,
} from "alchemy/cloudflare";
import type AccountsApi from "./src/accounts.ts";
import type { Cart } from "./src/carts.ts";
import type { FulfilOrderParams, OrderEvent } from "./src/types.ts";

const app = await alchemy("shop");

export const orderEvents = await Queue<OrderEvent>("order-events", {
  name: "shop-order-events",
});

const accountsDb = await D1Database("accounts-db", {
  name: "shop-accounts",
  migrationsDir: "./migrations/accounts",
});

// RPC service: the default export of src/accounts.ts is a WorkerEntrypoint.
export const accounts = await Worker("accounts", {
  name: "shop-accounts",
  entrypoint: "./src/accounts.ts",
  rpc: type<AccountsApi>,
  bindings: {
    DB: accountsDb,
  },
  // audit trail of placed orders
  eventSources: [orderEvents],
});

// Hosts the Cart Durable Object (no scriptName: owned by this worker).
export const carts = await Worker("carts", {
  name: "shop-carts",
  entrypoint: "./src/carts.ts",
  bindings: {
    CARTS: DurableObjectNamespace<Cart>("carts", {
      className: "Cart",
      sqlite: true,
    }),
  },
});

// Hosts the fulfil-order workflow and consumes order events.
export const fulfilment = await Worker("fulfilment", {
  name: "shop-fulfilment",
  entrypoint: "./src/fulfilment.ts",
  bindings: {
    FULFIL_ORDER: Workflow<FulfilOrderParams>("fulfil-order", {
      workflowName: "shop-fulfil-order",
      className: "FulfilOrder",
    }),
    CARTS: DurableObjectNamespace<Cart>("fulfilment-carts", {
      className: "Cart",
      scriptName: "shop-cart",
    }),
    ACCOUNTS: accounts,
  },
  eventSources: [
    {
      queue: orderEvents,
      settings: {
        batchSize: 10,
        maxRetries: 3,
        maxWaitTimeMs: 2000,
      },
    },
  ],
});

export const gateway = await Worker("gateway", {
  name: "shop-gateway",
  entrypoint: "./src/gateway.ts",
  url: true,
  bindings: {
    ACCOUNTS: accounts,
    CARTS: DurableObjectNamespace<Cart>("gateway-carts", {
      className: "Carts",
      scriptName: "shop-carts",
    }),
    ORDER_EVENTS: orderEvents,
    FULFIL_ORDER: Workflow<FulfilOrderParams>("gateway-fulfil-order", {
      workflowName: "shop-fulfil-order",
      className: "FulfilOrder",
      scriptName: fulfilment.name,
    }),
    API_VERSION: "2026-10",
  },
});

console.log({ gateway: gateway.url });

await app.finalize();
