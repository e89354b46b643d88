# api still receives plaintext from clients outside the mesh (the legacy batch jobs).
Kind          = "service-defaults"
Name          = "api"
Protocol      = "http"
MutualTLSMode = "permissive"
