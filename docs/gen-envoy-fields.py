import re, os, json, sys

SCALARS = {'double','float','int32','int64','uint32','uint64','sint32','sint64','fixed32','fixed64','sfixed32','sfixed64','bool','string','bytes'}

def tokenize(text):
    text = re.sub(r'//[^\n]*', '', text)
    text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
    toks = re.findall(r'"(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_.]*|\d+|[{}\[\]<>;=,()]|\S', text)
    return toks

messages = {}  # full -> list of fields {name, label, type(raw), scope}
enums = {}     # full -> list of value names
files = {}

def parse_file(path):
    toks = tokenize(open(path).read())
    pkg = ''
    i = 0
    def skip_stmt(i):
        depth = 0
        while i < len(toks):
            t = toks[i]
            if t in '{[(': depth += 1
            elif t in '}])': depth -= 1
            elif t == ';' and depth == 0: return i + 1
            i += 1
        return i
    def skip_block(i):
        # toks[i] == '{'
        depth = 0
        while i < len(toks):
            if toks[i] == '{': depth += 1
            elif toks[i] == '}':
                depth -= 1
                if depth == 0: return i + 1
            i += 1
        return i
    def parse_enum(i, full):
        # toks[i] == '{'
        vals = []
        i += 1
        while toks[i] != '}':
            if toks[i] in ('option', 'reserved'):
                i = skip_stmt(i); continue
            name = toks[i]
            if toks[i+1] == '=':
                vals.append(name)
            i = skip_stmt(i)
        enums[full] = vals
        return i + 1
    def parse_message(i, full):
        fields = []
        messages[full] = fields
        i += 1
        while toks[i] != '}':
            t = toks[i]
            if t in ('option', 'reserved', 'extensions'):
                i = skip_stmt(i); continue
            if t == ';': i += 1; continue
            if t == 'message':
                name = toks[i+1]
                i = parse_message(i+2, full + '.' + name); continue
            if t == 'enum':
                name = toks[i+1]
                i = parse_enum(i+2, full + '.' + name); continue
            if t == 'oneof':
                i += 2  # name, then '{'
                i += 1
                while toks[i] != '}':
                    if toks[i] == 'option': i = skip_stmt(i); continue
                    typ = toks[i]; name = toks[i+1]
                    fields.append({'name': name, 'label': 'single', 'type': typ, 'scope': full})
                    i = skip_stmt(i)
                i += 1; continue
            label = 'single'
            if t in ('repeated', 'optional', 'required'):
                label = 'repeated' if t == 'repeated' else 'single'
                i += 1; t = toks[i]
            if t == 'map':
                # map < K , V > name = N ...
                j = i
                while toks[j] != '>': j += 1
                fields.append({'name': toks[j+1], 'label': 'map', 'type': 'map', 'scope': full})
                i = skip_stmt(i); continue
            if t == 'group':
                raise Exception('group in ' + full)
            typ = t; name = toks[i+1]
            assert toks[i+2] == '=', (path, full, toks[i:i+5])
            fields.append({'name': name, 'label': label, 'type': typ, 'scope': full})
            i = skip_stmt(i)
        return i + 1
    while i < len(toks):
        t = toks[i]
        if t == 'package':
            pkg = toks[i+1]; i = skip_stmt(i); continue
        if t in ('syntax', 'import', 'option'):
            i = skip_stmt(i); continue
        if t == 'message':
            i = parse_message(i+2, pkg + '.' + toks[i+1]); continue
        if t == 'enum':
            i = parse_enum(i+2, pkg + '.' + toks[i+1]); continue
        if t == 'service' or t == 'extend':
            j = i
            while toks[j] != '{': j += 1
            i = skip_block(j); continue
        if t == ';': i += 1; continue
        raise Exception('unexpected %s in %s' % (t, path))

for root, _, fs in os.walk(sys.argv[1]):
    for f in fs:
        if f.endswith('.proto'):
            parse_file(os.path.join(root, f))

def resolve(typ, scope):
    if typ.startswith('.'): typ = typ[1:]
    parts = scope.split('.')
    for k in range(len(parts), -1, -1):
        cand = '.'.join(parts[:k] + [typ]) if k else typ
        if cand in messages: return 'message', cand
        if cand in enums: return 'enum', cand
    return 'message', typ  # external (google.protobuf, xds, udpa): messages

# Fields data-plane-api has and the go-control-plane Consul vendors lacks: Consul's own
# structpatcher_test.go (2026, "error field list includes all fields when in debug mode") lists
# Cluster's fields without transport_socket_matcher.
NOT_IN_CONSUL = {'envoy.config.cluster.v3.Cluster': {'transport_socket_matcher'}}

out_msgs = {}
def describe(full):
    fs = []
    for f in messages[full]:
        if f['name'] in NOT_IN_CONSUL.get(full, ()): continue
        if f['label'] == 'map':
            fs.append([f['name'], 'map']); continue
        if f['type'] in SCALARS:
            kind, tname = f['type'], None
        else:
            kind, tname = resolve(f['type'], f['scope'])
        entry = [f['name'], ('repeated ' if f['label'] == 'repeated' else '') + kind]
        if tname: entry.append(tname)
        fs.append(entry)
    return fs

roots = sys.argv[2:]
todo = list(roots); seen = set()
while todo:
    m = todo.pop()
    if m in seen or m not in messages: continue
    seen.add(m)
    d = describe(m)
    out_msgs[m] = d
    for e in d:
        if len(e) == 3 and e[1].endswith('message'):
            todo.append(e[2])
used_enums = {}
for m, d in out_msgs.items():
    for e in d:
        if len(e) == 3 and e[1].endswith('enum'):
            used_enums[e[2]] = enums[e[2]]
json.dump({'messages': out_msgs, 'enums': used_enums}, open('/tmp/envoy-fields.json', 'w'))
print(len(out_msgs), 'messages', len(used_enums), 'enums', os.path.getsize('/tmp/envoy-fields.json'))
