// Terraform addresses are `<type>.<id>`; these ids are fixed (not cdktf's hashed ones) so the CLI
// and humans can name resources, e.g. `terraform state rm docker_volume.postgres_data`.
export const RESOURCE_IDS = {
  network: 'network',
  postgresVolume: 'postgres_data',
  elasticsearchVolume: 'elasticsearch_data',
  postgresql: 'postgresql',
  elasticsearch: 'elasticsearch',
  schema: 'schema',
  server: 'server',
  ui: 'ui',
  adminTools: 'admin_tools',
} as const;
