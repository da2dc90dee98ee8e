// @credchain/local-authority README, "HTTPS": the authority over TLS, trusted by its certificate.
import { request } from "node:https";
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, startAuthority } from "@credchain/local-authority";

await using authority = await startAuthority({ https: true }); // https://127.0.0.1:<port>
const form = new URLSearchParams({
  grant_type: "client_credentials",
  client_id: DEMO_CLIENT_ID,
  client_secret: DEMO_CLIENT_SECRET,
  scope: "https://graph.microsoft.com/.default",
});
// Trust exactly this certificate; never disable certificate checks.
const status = await new Promise((resolve, reject) => {
  request(
    authority.tokenEndpoint(),
    {
      method: "POST",
      ca: authority.certificate,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    },
    (response) => resolve(response.resume().statusCode),
  )
    .on("error", reject)
    .end(form.toString());
});
console.log(status); // 200
