-- Argo CD health of a ModelVersion: a version waiting for a person's decision is Suspended, a failed or rejected
-- one Degraded, one that reached a resting stage Healthy, the rest Progressing.
local health = { status = "Progressing", message = "Waiting for the operator" }
if obj.status == nil or obj.status.stage == nil then
  return health
end
if obj.status.observedGeneration ~= nil and obj.metadata.generation ~= nil
    and obj.status.observedGeneration < obj.metadata.generation then
  health.message = "The operator has not seen the latest change yet"
  return health
end
local stage = obj.status.stage
health.message = obj.status.message or stage
if stage == "Deployed" or stage == "Approved" or stage == "Retired" then
  health.status = "Healthy"
elseif stage == "AwaitingApproval" then
  health.status = "Suspended"
elseif stage == "Failed" or stage == "Rejected" then
  health.status = "Degraded"
end
return health
