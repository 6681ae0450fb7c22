/**
 * The classes the built-in platform policies give to volumes that declare none, and what `init` writes by when
 * the policy in use has no rules of its own. First match wins: a database's volume stays durable even when
 * several services mount it, and a volume several services share is not taken for node-local scratch.
 */
export const ADOPTION_CLASSES = `default_class: durable          # volumes no rule below matches keep their data
rules:
  # Data of well-known databases, search engines, queues and object stores (image of a service mounting it).
  - match:
      image: [postgres, postgresql, postgis, timescaledb, timescaledb-ha, pgvector, mysql, mysql-server, mariadb,
              percona, percona-server, mongo, mongodb-community-server, redis, redis-stack, redis-stack-server,
              valkey, keydb, elasticsearch, opensearch, minio, cassandra, scylla, couchdb, couchbase, influxdb,
              clickhouse-server, neo4j, rabbitmq, etcd, zookeeper, cp-zookeeper, kafka, cp-kafka, nats, mssql-server,
              cockroach, questdb, qdrant, weaviate, solr, pgvecto-rs]
    class: durable
  # Mounted by several services.
  - match: { min_services: 2 }
    class: shared
  # Caches and scratch space, by name.
  - match:
      volume: ["*cache*", "*Cache*", "*tmp*", "*scratch*", temp, "*[-_.]temp", "temp[-_.]*", "*[-_.]temp[-_.]*"]
    class: fast
`;
