// @credchain/core/testing: test doubles for applications and plugin authors. Named re-exports only.
// The Reflect polyfill must load before tsyringe, whichever entry point is imported first.
import "./container.js";
export { ManualClock } from "./ManualClock.js";
