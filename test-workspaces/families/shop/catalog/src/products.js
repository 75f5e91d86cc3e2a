const PRODUCTS = [
  { sku: "mug", name: "Mug", image: "mug.png" },
  { sku: "tee", name: "T-shirt", image: "tee.png" },
];

export function listProducts(cdnHost) {
  return PRODUCTS.map((product) => ({ ...product, image: `https://${cdnHost}/${product.image}` }));
}
