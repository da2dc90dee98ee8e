# @credchain/cli README, "Try it": AZURE_* point at a service principal (scripts/run-examples.mjs
# points them at the local authority, so this runs offline).
set -euo pipefail

credchain token --credential environment --resource https://management.azure.com/
credchain token --credential environment --scope https://graph.microsoft.com/.default --output raw |
  credchain decode
credchain doctor
