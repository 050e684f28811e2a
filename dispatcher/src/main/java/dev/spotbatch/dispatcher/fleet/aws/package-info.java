/**
 * Worker capacity from AWS EC2 Auto Scaling.
 *
 * <p><b>Group layout: one Auto Scaling group per pool</b> (instance type x zone x lifecycle). The
 * autoscaler decides a desired count per pool; a group per pool takes exactly that number, and a
 * failed launch in {@code DescribeScalingActivities} names the pool it belongs to, so only that
 * pool is blocked. One mixed-instances group would hide both: it chooses types and zones itself and
 * reports one desired count, so the autoscaler could neither place capacity by cost per record nor
 * tell which offering ran out. A spot pool's group uses a mixed-instances policy with one instance
 * type, {@code OnDemandBaseCapacity=0} and {@code OnDemandPercentageAboveBaseCapacity=0}; an
 * on-demand pool's group a plain launch template; each group has one subnet (one zone). The
 * on-demand base is the autoscaler's (it fills on-demand pools first), not a group setting.
 * Capacity Rebalancing stays off: the dispatcher replaces a noticed worker itself, in the pool the
 * cost ranking picks.
 *
 * <p><b>Scale-in protection is the dispatcher's</b>: every instance is protected from scale-in
 * ({@code NewInstancesProtectedFromScaleIn}, and {@code SetInstanceProtection} for any found
 * without), so Auto Scaling never picks a victim itself; lowering a group's desired capacity only
 * cancels launches. An instance leaves only when the autoscaler picked it as idle: the dispatcher
 * lifts its protection and calls {@code TerminateInstanceInAutoScalingGroup} with {@code
 * ShouldDecrementDesiredCapacity}. The workers do not toggle their own protection per lease: that
 * would be two calls per lease transition from every worker against an account-wide API rate limit,
 * and the dispatcher already knows each worker's leases every tick. A worker that leases in the
 * moment between the snapshot and its termination receives the termination lifecycle hook's notice
 * ({@code target-lifecycle-state = Terminated}), drains (hands its lease back) and then completes
 * the hook, so nothing is lost.
 *
 * <p>Retries: the SDK's standard retry strategy, configured once in {@link AutoScalingClients}; the
 * code here never retries on its own (a call that still fails is tried again on the next tick,
 * because the plan is state, not a delta).
 */
package dev.spotbatch.dispatcher.fleet.aws;
