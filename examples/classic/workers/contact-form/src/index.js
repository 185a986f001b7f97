// Receives the website's contact form and forwards it to the Django backend,
// which stores it (POST /api/contact/, authenticated with the X-Intake-Key header).

import { validateContact } from "./validate.js";

function json(body, status, env) {
  return Response.json(body, {
    status,
    headers: { "Access-Control-Allow-Origin": env.ALLOWED_ORIGIN || "*" },
  });
}

async function handleContact(request, env) {
  const type = request.headers.get("Content-Type") || "";
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) {
    return json({ error: "Expected form data." }, 400, env);
  }

  let fields;
  try {
    fields = Object.fromEntries(await request.formData());
  } catch {
    return json({ error: "Could not read the form." }, 400, env);
  }

  const result = validateContact(fields);
  if (!result.ok) return json({ errors: result.errors }, 400, env);

  let response;
  try {
    response = await fetch(new URL("/api/contact/", env.BACKEND_URL), {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Intake-Key": env.INTAKE_API_KEY },
      body: JSON.stringify(result.data),
    });
  } catch (error) {
    console.error("backend unreachable", error);
    return json({ error: "Your message could not be sent, please try again later." }, 502, env);
  }

  if (response.status !== 201) {
    console.error("backend answered", response.status, (await response.text()).slice(0, 500));
    return json({ error: "Your message could not be sent, please try again later." }, 502, env);
  }

  const { id } = await response.json();
  return json({ id }, 202, env);
}

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);

    if (pathname === "/" && request.method === "GET") {
      return new Response("ok", { headers: { "Content-Type": "text/plain" } });
    }
    if (pathname === "/contact") {
      if (request.method !== "POST") {
        return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
      }
      return handleContact(request, env);
    }
    return new Response("Not Found", { status: 404 });
  },
};
