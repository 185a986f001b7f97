import "./style.css";
import { describeAnswer, intakeEndpoint } from "./contact.js";
import { MENU, formatPrice } from "./menu.js";

// VITE_INTAKE_URL is read at build time: VITE_INTAKE_URL=https://intake.example.com npm run build
const endpoint = intakeEndpoint(import.meta.env.VITE_INTAKE_URL);

const menu = document.querySelector("#menu");
for (const item of MENU) {
  const entry = document.createElement("li");
  entry.textContent = `${item.name} — ${formatPrice(item.price)}`;
  menu.append(entry);
}

const form = document.querySelector("#contact");
const status = document.querySelector("#contact-status");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const button = form.querySelector("button");
  button.disabled = true;
  status.textContent = "Sending…";
  try {
    const response = await fetch(endpoint, {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
    });
    const body = await response.json().catch(() => null);
    status.textContent = describeAnswer(response.status, body);
    if (response.status === 201) form.reset();
  } catch {
    status.textContent = describeAnswer(0, null);
  } finally {
    button.disabled = false;
  }
});
