// The first step of Consul's PUT body decoding (decodeBodyDeprecated): `json.NewDecoder(body)
// .Decode(&raw)` into interface{}, then mapstructure into map[string]interface{}. The Go JSON texts
// live in src/core/go-json-text.ts, which the write-time checks share; this is the dev server's name for them.
export { goJsonDecodeFirst as goJsonDecode, type GoJsonOutcome } from '../core/go-json-text.ts';
