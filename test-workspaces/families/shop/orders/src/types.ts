export interface OrderEvent {
  type: "placed";
  orderId: string;
  userId: string;
}
