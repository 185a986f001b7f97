/** The menu shown on the home page; prices in euro cents. */
export const MENU = [
  { name: "Espresso", price: 240 },
  { name: "Flat white", price: 380 },
  { name: "Filter of the day", price: 320 },
  { name: "Cardamom bun", price: 350 },
];

export function formatPrice(cents) {
  return new Intl.NumberFormat("en-IE", { style: "currency", currency: "EUR" }).format(cents / 100);
}
