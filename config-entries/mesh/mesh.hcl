# Onboarding window: sidecars may accept plaintext while services join the mesh.
# consul-gitops proposes locking this down again once no service is permissive.
Kind = "mesh"

AllowEnablingPermissiveMutualTLS = true

TransparentProxy {
  # Let transparent proxies still reach destinations outside the mesh during onboarding.
  MeshDestinationsOnly = false
}
