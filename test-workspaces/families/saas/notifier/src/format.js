export function formatMessage(queue, body) {
  if (queue.startsWith("invoices")) {
    return `Invoice ${body.invoiceId}: ${(body.cents / 100).toFixed(2)} charged to ${body.userId}`;
  }
  return `Task event: ${body.type}`;
}
