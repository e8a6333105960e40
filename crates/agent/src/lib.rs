//! Ports, adapters, workflows, the job worker and the scheduler.
