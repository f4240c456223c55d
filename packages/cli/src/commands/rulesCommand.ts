import { join } from 'node:path';
import { generateRules } from '../rules/generateRules';
import { generatingCommand } from './generatingCommand';

/** File names inside `--out`. */
export const recordingRulesFileName = 'business-recording.yml';
export const alertRulesFileName = 'business-alerts.yml';

/** `bizmetrics rules`: Prometheus recording and alert rules. */
export const rulesCommand = generatingCommand({
  name: 'rules',
  description: `write Prometheus recording rules (${recordingRulesFileName}) and alert rules (${alertRulesFileName})`,
  outDescription: 'folder for the two rule files',
  defaultOut: 'prometheus/rules',
  generate(catalog, config, out) {
    const rules = generateRules(catalog, config);
    return [
      { path: join(out, recordingRulesFileName), content: rules.recording },
      { path: join(out, alertRulesFileName), content: rules.alerts },
    ];
  },
});
