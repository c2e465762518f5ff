package dev.modelops.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Scheduled times of a BatchPrediction at which no run started. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MissedRuns {

    @JsonPropertyDescription("How many scheduled times were missed since the BatchPrediction was created.")
    private Long count;

    @JsonPropertyDescription("The latest missed scheduled time (RFC 3339).")
    private String lastMissedTime;

    @JsonPropertyDescription("Scheduled times up to this one (RFC 3339) have been checked.")
    private String checkedUntil;

    public Long getCount() {
        return count;
    }

    public void setCount(Long count) {
        this.count = count;
    }

    public String getLastMissedTime() {
        return lastMissedTime;
    }

    public void setLastMissedTime(String lastMissedTime) {
        this.lastMissedTime = lastMissedTime;
    }

    public String getCheckedUntil() {
        return checkedUntil;
    }

    public void setCheckedUntil(String checkedUntil) {
        this.checkedUntil = checkedUntil;
    }
}
