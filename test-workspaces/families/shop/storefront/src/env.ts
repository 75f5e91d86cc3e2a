export interface Env {
  STORE_NAME: string;
  SESSIONS: KVNamespace;
  AUTH: Service;
  CATALOG: Fetcher;
  CART: DurableObjectNamespace;
  FULFIL: Workflow<{ orderId: string }>;
  ORDER_EVENTS: Queue<{ type: "placed"; orderId: string; userId: string }>;
}
