/** Embedded default: works on any machine with no configuration. Only volumes that declare a class change. */
export default `version: 1
description: Embedded default policy - every class on the built-in local driver (a laptop or a single host)
classes:
  fast:
    description: Scratch and caches; data stays on the node that runs the task
    driver: local
  shared:
    description: Data several services read and write; on local it is shared only on one host
    driver: local
  durable:
    description: Data that must outlive the containers (databases, uploads)
    driver: local
`;
