// Loops that call one guide method `n` times, walking the workload's 50 combinations. The record
// bench imports this module once per contender (a distinct `?contender=` URL makes a distinct
// module instance), so each contender gets its own copy of these functions and its own inline
// caches: no contender is timed through call sites made polymorphic by another.
import type { ConversionLabels, GuideService, GuideWorkload } from './guideWorkload';

export type Batch = (n: number) => void;

/** A copy of `text` that is a distinct, flat string (no cached hash, not a rope). */
function fresh(text: string): string {
  return (text + ' ').trimEnd();
}

export function createBatches(service: GuideService, workload: GuideWorkload, countConversion: (labels: ConversionLabels) => void) {
  const { funnelSteps, conversions, revenue, featureUsage, sessionEnds, activeUsers, conversionLabels } = workload;
  let i = 0;
  const next = (length: number): number => {
    i = i + 1 >= length ? 0 : i + 1;
    return i;
  };
  return {
    recordFunnelStep: (n: number) => {
      for (let k = 0; k < n; k++) {
        const call = funnelSteps[next(funnelSteps.length)]!;
        service.recordFunnelStep(call.step, call.metadata);
      }
    },
    // Label strings that are new objects on every call, as when they come out of a parsed request:
    // nothing can reuse a hash V8 cached on a string it has seen before. Copying costs all
    // contenders the same.
    recordFunnelStepFreshStrings: (n: number) => {
      for (let k = 0; k < n; k++) {
        const call = funnelSteps[next(funnelSteps.length)]!;
        const variant = call.metadata.experimentVariant;
        service.recordFunnelStep(fresh(call.step), {
          source: fresh(call.metadata.source),
          deviceType: fresh(call.metadata.deviceType),
          ...(variant === undefined ? {} : { experimentVariant: fresh(variant) }),
        });
      }
    },
    recordConversion: (n: number) => {
      for (let k = 0; k < n; k++) {
        const call = conversions[next(conversions.length)]!;
        service.recordConversion(call.type, call.metadata);
      }
    },
    recordRevenue: (n: number) => {
      for (let k = 0; k < n; k++) {
        const call = revenue[next(revenue.length)]!;
        service.recordRevenue(call.amountCents, call.metadata);
      }
    },
    recordFeatureUsage: (n: number) => {
      for (let k = 0; k < n; k++) {
        const call = featureUsage[next(featureUsage.length)]!;
        service.recordFeatureUsage(call.featureName, call.metadata);
      }
    },
    recordSessionEnd: (n: number) => {
      for (let k = 0; k < n; k++) {
        const call = sessionEnds[next(sessionEnds.length)]!;
        service.recordSessionEnd(call.sessionStartTime, call.metadata);
      }
    },
    updateActiveUsers: (n: number) => {
      for (let k = 0; k < n; k++) {
        const call = activeUsers[next(activeUsers.length)]!;
        service.updateActiveUsers(call.window, call.counts);
      }
    },
    conversionCountOnly: (n: number) => {
      for (let k = 0; k < n; k++) countConversion(conversionLabels[next(conversionLabels.length)]!);
    },
  } satisfies Record<string, Batch>;
}
