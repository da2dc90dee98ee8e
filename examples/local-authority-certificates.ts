// test/authority/README.md, "Certificates and federated credentials": a certificate client and a
// workload identity client on one authority.
import {
  createClientCertificate,
  createWorkloadIssuer,
  startAuthority,
} from "@credchain/local-authority";

const cert = await createClientCertificate({ password: "pw" }); // or keyFormat: "pkcs1", notAfter, issuer (a CA)
const cluster = await createWorkloadIssuer(); // an OIDC issuer the test controls
await using authority = await startAuthority({
  clients: [
    { clientId: "cert-app", certificates: [cert.certificate] },
    {
      clientId: "workload-app",
      federatedCredentials: [cluster.federatedCredential("system:serviceaccount:ns:sa")],
    },
  ],
});
const projectedToken = cluster.mint({ subject: "system:serviceaccount:ns:sa" });
console.log(authority.url, projectedToken.split(".").length); // http://127.0.0.1:<port> 3
