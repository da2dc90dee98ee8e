import { performance } from "node:perf_hooks";
const { ClientSecretCredential } = await import("@credchain/client-secret");
const { rootContainer, Tokens } = await import("@credchain/core");
const container = rootContainer.createChildContainer();
container.register(Tokens.HttpTransport, { useValue: { send: async () => ({ status: 200, headers: {}, body: JSON.stringify({ token_type: "Bearer", access_token: "t", expires_in: 3600 }) }) } });
const credential = new ClientSecretCredential("tenant", "client", "secret-value", { container, additionallyAllowedTenants: ["*"] });
const tenants = Array.from({ length: 200 }, (_, i) => `tenant-${i}`);
const scope = "https://vault.azure.net/.default";
for (const tenantId of tenants) await credential.getToken(scope, { tenantId });
const map = new Map(tenants.map((t) => [t, { token: "t" }]));
const lookup = async (t) => map.get(t);
const random = () => tenants[Math.floor(Math.random() * 200)];
let ma = Infinity, mb = Infinity;
for (let r = 0; r < 30; r++) {
let t0 = performance.now(); for (let i = 0; i < 20000; i++) await lookup(random()); ma = Math.min(ma, performance.now() - t0);
t0 = performance.now(); for (let i = 0; i < 20000; i++) await credential.getToken(scope, { tenantId: random() }); mb = Math.min(mb, performance.now() - t0);
}
console.log((ma*1e6/20000).toFixed(0), (mb*1e6/20000).toFixed(0), "ns", (mb/ma).toFixed(2));
