-- Argo CD health of a ModelJob: done is Healthy, failed is Degraded, stopped is Suspended, the rest Progressing.
local health = { status = "Progressing", message = "Waiting for the operator" }
if obj.status == nil then
  return health
end
if obj.status.observedGeneration ~= nil and obj.metadata.generation ~= nil
    and obj.status.observedGeneration < obj.metadata.generation then
  health.message = "The operator has not seen the latest change yet"
  return health
end
local phase = obj.status.phase
health.message = obj.status.message or phase or ""
if phase == "Succeeded" then
  health.status = "Healthy"
elseif phase == "Failed" then
  health.status = "Degraded"
elseif phase == "Cancelled" then
  health.status = "Suspended"
end
return health
