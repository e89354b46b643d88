// Hand-written HCL1 inputs in Consul docs style, shared by the differential and property tests.
/** Consul-docs style inputs; integers < 2^31 (the oracle is a 32-bit GopherJS build). */
export const handWritten: Record<string, string> = {
  'intentions L7': `Kind = "service-intentions"
Name = "api"
Sources = [
  {
    Name = "web"
    Permissions = [
      {
        Action = "allow"
        HTTP {
          PathPrefix = "/v2"
          Methods    = ["GET", "PUT",]
        }
      },
      { Action = "deny" HTTP { PathExact = "/admin" } }
    ]
  },
  {
    Name   = "*"
    Action = "deny"
  }
]
`,
  'one-line permissions': 'Permissions = [{ Action = "allow" HTTP { PathPrefix = "/v2" } }]',
  'meta quoted keys': 'Kind = "service-defaults"\nName = "web"\nmeta { "k" = "v" "k2" = "v2" }\n',
  heredoc: 'Kind = "service-defaults"\nName = "web"\nDescription = <<EOF\nmulti\n  line\nEOF\nProtocol = "http"\n',
  'indented heredoc': 'Config {\n  envoy_extra = <<-EOT\n    {\n      "a": 1\n    }\n    EOT\n}\n',
  'heredoc with trailing marker spaces': 'x = <<EOF\nabc\n   EOF\n',
  'mixed blocks and lists':
    'Kind = "service-resolver"\nName = "web"\nSubsets = { v1 = { Filter = "Service.Meta.version == v1" } v2 = { Filter = "Service.Meta.version == v2", OnlyPassing = true } }\nFailover { "*" { Targets = [{ Datacenter = "dc2" }, { Peer = "p1" }] } }\n',
  'repeated blocks concatenate': 'Sources { Name = "a" Action = "allow" }\nSources { Name = "b" Action = "deny" }\n',
  'repeated scalars last wins': 'Name = "a"\nName = "b"\nPort = 1\nPort = 2\n',
  'repeated list literals concatenate': 'Methods = ["GET"]\nMethods = ["POST", "PUT"]\n',
  'nested keys': 'service "web" "http" { port = 80 }\nservice "api" { port = 81 }\n',
  'nested key then block': 'a "b" { c = 1 }\na "b" { d = 2 }\n',
  'comments everywhere':
    '# hash\n// slashes\n/* block\n comment */\nKind /* k */ = /* v */ "mesh" // trailing\nTLS { # c\n  Incoming { TLSMinVersion = "TLSv1_2" } // x\n}\n',
  escapes: 'a = "tab\\there \\"q\\" back\\\\slash \\u00e9 \\U0001F600 \\x41 \\101 nl\\n"\n',
  interpolation: 'a = "${var.x} and ${f("y", "z")}"\n',
  numbers: 'a = 0\nb = -12\nc = 0x1f\nd = 017\ne = 1.5\nf = -2.25\ng = 1e3\nh = 2E-2\ni = .5\nj = 2147483647\nk = -2147483648\nl = 1.\n',
  booleans: 'a = true\nb = false\nc = [true, false]\n',
  'nested lists': 'a = [[1, 2], [], [["x"]], [{ b = 1 }]]\n',
  'list double commas (HCL1 quirk)': 'a = [1,,2]\nb = [,]\nc = [[1][2]]\n',
  empty: '',
  'only comments': '# nothing here\n',
  'empty block and object': 'a {}\nb = {}\nc = [{}]\n',
  'items separated by commas': 'a = 1, b = 2\nc { d = 3, e = 4, }\n',
  'key = at end of file (HCL1 drops it)': 'a = 1\nb =',
  crlf: 'Kind = "mesh"\r\nTLS {\r\n  Incoming {\r\n    TLSMinVersion = "TLSv1_2"\r\n  }\r\n}\r\n',
  unicode: 'Name = "wéb 😀"\n"clé" = "välue"\nnaïve = 1\n',
  'deep blocks': 'a { b { c { d { e { f = 1 } } } } }\n',
  'key with dots and dashes': 'envoy.cluster-json_1 = "x"\n',
  'proxy-defaults':
    'Kind = "proxy-defaults"\nName = "global"\nConfig {\n  protocol = "http"\n  local_connect_timeout_ms = 1000\n}\nMeshGateway { Mode = "local" }\nExpose { Checks = true Paths = [{ Path = "/health" LocalPathPort = 8080 ListenerPort = 21500 Protocol = "http" }] }\n',
  'ingress gateway':
    'Kind = "ingress-gateway"\nName = "ig"\nListeners = [\n  {\n    Port = 8080\n    Protocol = "http"\n    Services = [{ Name = "web" Hosts = ["web.example.com"] }, { Name = "*" }]\n  }\n]\n',
  'terminating gateway': 'Kind = "terminating-gateway"\nName = "tg"\nServices = [{ Name = "billing" CAFile = "/etc/ca.pem" SNI = "billing.local" }]\n',
  'hex escape in key': '"a\\x62c" = 1\n',
  'byte escapes and surrogates': 'a = "\\xc3\\xa9 \\303\\251 \\xff \\ud800"\n',
};
