package dev.driftwatch.streams;

import dev.driftwatch.streams.business.BusinessSettings;
import dev.driftwatch.streams.roles.ReviewSettings;
import dev.driftwatch.streams.roles.RoleSettings;
import dev.driftwatch.streams.slo.ServiceLevelSettings;

import java.util.Objects;

/**
 * The settings of what the pipeline watches besides feature and output drift: business outcomes
 * (CTR), service levels, shadow and canary versions, and human review.
 */
public record Signals(BusinessSettings business, ServiceLevelSettings serviceLevels, RoleSettings roles,
                      ReviewSettings review) {
    public Signals {
        Objects.requireNonNull(business, "business");
        Objects.requireNonNull(serviceLevels, "serviceLevels");
        Objects.requireNonNull(roles, "roles");
        Objects.requireNonNull(review, "review");
    }

    /** Everything off: only feature and output drift. */
    public static Signals none() {
        return new Signals(BusinessSettings.disabled(), ServiceLevelSettings.disabled(), RoleSettings.disabled(),
                ReviewSettings.disabled());
    }

    public Signals withBusiness(BusinessSettings b) {
        return new Signals(b, serviceLevels, roles, review);
    }

    public Signals withServiceLevels(ServiceLevelSettings s) {
        return new Signals(business, s, roles, review);
    }

    public Signals withRoles(RoleSettings r) {
        return new Signals(business, serviceLevels, r, review);
    }

    public Signals withReview(ReviewSettings r) {
        return new Signals(business, serviceLevels, roles, r);
    }
}
