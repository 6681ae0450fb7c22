// Render a stack from code: node examples/library.mjs (after npm run build)
import { renderStack } from 'compose-voldriver';

const result = renderStack({
  files: ['examples/stack.yml'],
  policy: 'examples/voldriver.example.yml',
  environment: 'onprem',
  parameters: { nfs_server: '10.0.0.5' },
  variables: { COMPOSE_PROJECT_NAME: 'web' },
  target: 'swarm',
});
for (const plan of result.plans) console.log(plan.volume, plan.class, plan.driver, JSON.stringify(plan.driver_opts));
for (const finding of result.findings) console.log(`${finding.file}:${finding.line}:${finding.col}`, finding.severity, finding.code);
if (result.findings.some((finding) => finding.severity === 'error')) process.exitCode = 1;
else console.log(`${result.output.split('\n').length} lines, changed: ${result.changed}`);
