-- Argo CD health of a BatchPrediction: Suspended when suspended, otherwise its Ready condition.
local health = { status = "Progressing", message = "Waiting for the operator" }
if obj.status == nil or obj.status.conditions == nil then
  return health
end
if obj.status.observedGeneration ~= nil and obj.metadata.generation ~= nil
    and obj.status.observedGeneration < obj.metadata.generation then
  health.message = "The operator has not seen the latest change yet"
  return health
end
for _, condition in ipairs(obj.status.conditions) do
  if condition.type == "Suspended" and condition.status == "True" then
    return { status = "Suspended", message = condition.message or "Suspended" }
  end
end
for _, condition in ipairs(obj.status.conditions) do
  if condition.type == "Ready" then
    if condition.status == "True" then
      return { status = "Healthy", message = condition.message or "Ready" }
    end
    return { status = "Degraded", message = condition.message or condition.reason or "Not ready" }
  end
end
return health
