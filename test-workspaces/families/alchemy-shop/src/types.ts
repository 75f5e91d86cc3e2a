export interface Account {
  id: string;
  email: string;
  name: string;
}

export interface OrderSummary {
  id: string;
  total: number;
  placedAt: string;
}

export interface CartItem {
  sku: string;
  quantity: number;
  price: number;
}

export interface OrderEvent {
  type: "order.placed";
  orderId: string;
  accountId: string;
  cartId: string;
}

export interface FulfilOrderParams {
  orderId: string;
  accountId: string;
  cartId: string;
}
