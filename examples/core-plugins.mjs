// @credchain/core README, "Plugins and the container": a process-wide plugin and a scoped override.
import { ClientSecretCredential } from "@credchain/client-secret";
import { FetchHttpTransport, rootContainer, Tokens, usePlugin } from "@credchain/core";

// Process-wide: every credential created afterwards sees it. Returns an undo function.
const undo = usePlugin({
  name: "my-logger",
  register: (container) => container.register(Tokens.Logger, { useValue: console }),
});

// Scoped: only the credentials given this child container see the override. This transport
// logs each request's method and URL (never its body, which holds the secret).
const fetchTransport = new FetchHttpTransport();
const loggingTransport = {
  send(request) {
    console.log("->", request.method, request.url);
    return fetchTransport.send(request);
  },
};
const scoped = rootContainer.createChildContainer();
scoped.register(Tokens.HttpTransport, { useValue: loggingTransport });
const credential = new ClientSecretCredential(
  process.env.AZURE_TENANT_ID,
  process.env.AZURE_CLIENT_ID,
  process.env.AZURE_CLIENT_SECRET,
  { container: scoped },
);
await credential.getToken("https://graph.microsoft.com/.default");
await credential.close();
undo();
