// JSON text of API-form entries. Integers beyond 2^53 (HCL allows 64-bit) are held as bigint and
// written as exact JSON numbers.
export function stringifyApiJson(value: unknown, indent = 2): string {
  const marks: string[] = [];
  const text = JSON.stringify(
    value,
    (_k, v: unknown) => {
      if (typeof v === 'bigint') {
        marks.push(v.toString());
        return `\u0000bigint${marks.length - 1}\u0000`;
      }
      return v;
    },
    indent,
  );
  return marks.length ? text.replace(/"\\u0000bigint(\d+)\\u0000"/g, (_m, i: string) => marks[Number(i)]) : text;
}
