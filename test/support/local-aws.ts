/** What the real AWS SDK needs to talk to the local stand-ins: a region, dummy credentials, and a quiet logger. */
export const LOCAL_AWS_ENV = {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
} as const;
