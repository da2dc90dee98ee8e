// The public surface of @credchain/client-certificate. Named re-exports only: anything not listed
// is internal.
export { certificateAuthentication } from "./certificateAuthentication.js";
