// One Enterprise double (test/adapters/consul/enterprise-double.ts) as Consul for all the tests of a
// file: started before the first, closed after the last, and emptied of entries and recorded
// requests before each test, so every test meets an empty Enterprise Consul.
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startEnterpriseDouble, type EnterpriseDouble, type EnterpriseDoubleOptions } from '../adapters/consul/enterprise-double.ts';

export function enterpriseDoublePerFile(opts: EnterpriseDoubleOptions = {}): Omit<EnterpriseDouble, 'close'> {
  let double: EnterpriseDouble | undefined;
  beforeAll(async () => {
    double = await startEnterpriseDouble(opts);
  });
  afterAll(async () => {
    await double?.close();
  });
  beforeEach(() => {
    current().entries.clear();
    current().http.requests.length = 0;
  });
  const current = () => {
    if (!double) throw new Error('the Enterprise double runs only inside the tests of its file');
    return double;
  };
  return {
    get url() {
      return current().url;
    },
    get entries() {
      return current().entries;
    },
    get http() {
      return current().http;
    },
    put: (entry) => current().put(entry),
  };
}
