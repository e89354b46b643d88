Kind = "service-intentions"
Name = "billing"
Sources = [
  {
    Name   = "api"
    Action = "allow"
  },
  {
    Name   = "*"
    Action = "deny"
  },
]
