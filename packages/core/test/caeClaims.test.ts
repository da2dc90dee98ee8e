import { describe, expect, it } from "vitest";
import { claimsToSend } from "../src/index.js";

const CP1 = { access_token: { xms_cc: { values: ["CP1"] } } };

describe("claimsToSend", () => {
  it("without CAE sends the caller's claims as they are", () => {
    expect(claimsToSend(undefined, false)).toBeUndefined();
    expect(claimsToSend("", false)).toBeUndefined();
    expect(claimsToSend('{"id_token":{}}', false)).toBe('{"id_token":{}}');
  });

  it("with CAE and no claims sends xms_cc CP1", () => {
    expect(JSON.parse(claimsToSend(undefined, true)!)).toEqual(CP1);
    expect(JSON.parse(claimsToSend("", true)!)).toEqual(CP1);
  });

  it("with CAE merges CP1 into the caller's claims, keeping everything else", () => {
    const claims = JSON.stringify({
      id_token: { auth_time: { essential: true } },
      access_token: { nbf: { essential: true, value: "1" }, xms_cc: { values: ["CP2"] } },
    });
    expect(JSON.parse(claimsToSend(claims, true)!)).toEqual({
      id_token: { auth_time: { essential: true } },
      access_token: { nbf: { essential: true, value: "1" }, xms_cc: { values: ["CP2", "CP1"] } },
    });
  });

  it("does not add CP1 twice", () => {
    expect(JSON.parse(claimsToSend(JSON.stringify(CP1), true)!)).toEqual(CP1);
  });

  it("refuses claims that are not a JSON object with a TypeError", () => {
    for (const claims of ["not json", "[]", "null", '"text"', "42"]) {
      expect(() => claimsToSend(claims, true)).toThrow(TypeError);
    }
  });

  it("refuses to mangle an access_token or xms_cc that is not an object", () => {
    for (const claims of [
      '{"access_token":"x"}',
      '{"access_token":["x"]}',
      '{"access_token":{"xms_cc":"CP1"}}',
      '{"access_token":{"xms_cc":null}}',
    ]) {
      expect(() => claimsToSend(claims, true)).toThrow(/must be a JSON object/);
    }
    // Without CAE nothing is merged, so they go as they are.
    expect(claimsToSend('{"access_token":"x"}', false)).toBe('{"access_token":"x"}');
  });
});
