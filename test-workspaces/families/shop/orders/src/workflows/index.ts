export { FulfilOrder } from "./fulfil-order";
