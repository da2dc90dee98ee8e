import { VERSION } from "../version.js";

/** Sent with every token request, so the authority's logs tell which library and runtime called. */
export const USER_AGENT = `credchain/${VERSION} node/${process.versions.node}`;
