// Names from Temporal's API that more than one part of temporal-ctl relies on. Pure: the stack's
// healthcheck (stacks/grpc-health.ts), the probes and the tests import it.

/** The service the frontend's grpc.health.v1 health check is asked about (as `temporal operator cluster health` does). */
export const WORKFLOW_SERVICE = 'temporal.api.workflowservice.v1.WorkflowService';
