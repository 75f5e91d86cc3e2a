const SUBJECTS = {
  "order-placed": "We received your order",
  "order-shipped": "Your order is on its way",
};

export function render(template, from, to) {
  return JSON.stringify({ from, to, subject: SUBJECTS[template] ?? template });
}
