import { type Static, Type } from '@sinclair/typebox';
import { AGENT_TYPES, CREDENTIAL_TYPES } from '../constants/agents.js';
import { BUILTIN_INIT_CONTAINERS } from '../constants/pod.js';
import { Int64, StringEnum } from './helpers.js';
import {
  AffinitySchema,
  ContainerSchema,
  EnvVarSchema,
  LabelMap,
  LocalObjectReferenceSchema,
  PodSecurityContextSchema,
  ResourceRequirementsSchema,
  SecurityContextSchema,
  TolerationSchema,
  VolumeMountSchema,
  VolumeSchema,
} from './kubernetes.js';

const reference = (what: string) =>
  Type.Object(
    { name: Type.String({ description: `Name of the ${what} in the same namespace.` }) },
    { description: `A reference to a ${what}.` },
  );

export const SecretReferenceSchema = reference('Secret');
export const WorkspaceReferenceSchema = reference('Workspace');
export const AgentConfigReferenceSchema = reference('AgentConfig');

export type SecretReference = Static<typeof SecretReferenceSchema>;
export type WorkspaceReference = Static<typeof WorkspaceReferenceSchema>;
export type AgentConfigReference = Static<typeof AgentConfigReferenceSchema>;

export const AgentTypeSchema = StringEnum(AGENT_TYPES, {
  description: 'The coding agent to run; selects the default image and the credential env var names.',
});

export const CredentialsSchema = Type.Object(
  {
    type: StringEnum(CREDENTIAL_TYPES, {
      description:
        '`api-key` or `oauth` inject the agent credential from `secretRef`; `none` injects nothing ' +
        '(supply your own env, e.g. for Bedrock or Vertex).',
    }),
    secretRef: Type.Optional(
      Type.Object(SecretReferenceSchema.properties, {
        description:
          'Secret holding the credential under a key named like its env var (e.g. `ANTHROPIC_API_KEY`).',
      }),
    ),
  },
  {
    description: 'How the agent authenticates to its model provider.',
    'x-kubernetes-validations': [
      {
        rule: "self.type == 'none' || has(self.secretRef)",
        message: 'secretRef is required for api-key and oauth credential types',
      },
    ],
  },
);
export type Credentials = Static<typeof CredentialsSchema>;

const reservedContainerNames = BUILTIN_INIT_CONTAINERS.map((n) => `'${n}'`).join(', ');

const containerListRules = [
  { rule: "self.all(c, c.name != '')", message: 'container names must not be empty' },
  {
    rule: "self.all(c, !c.name.startsWith('kelos-'))",
    message: "container names starting with 'kelos-' are reserved",
  },
  {
    rule: `self.all(c, !(c.name in [${reservedContainerNames}]))`,
    message: `container names ${BUILTIN_INIT_CONTAINERS.join(', ')} are reserved for Kelos init containers`,
  },
];

const containerList = (description: string) =>
  Type.Array(ContainerSchema, {
    description,
    maxItems: 8,
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': ['name'],
    'x-kubernetes-validations': containerListRules,
  });

export const PodOverridesSchema = Type.Object(
  {
    labels: Type.Optional(
      LabelMap('Labels added to the Job and its Pod template; the labels Kelos sets itself win.'),
    ),
    resources: Type.Optional(ResourceRequirementsSchema),
    activeDeadlineSeconds: Type.Optional(
      Int64({
        minimum: 1,
        description: 'Deadline of the Job in seconds (`Job.spec.activeDeadlineSeconds`).',
      }),
    ),
    env: Type.Optional(
      Type.Array(EnvVarSchema, {
        description:
          'Env vars appended to the agent container after the built-in ones; a name Kelos already set, ' +
          'and always KELOS_SETUP_COMMAND and KELOS_SESSION_SETUP_ONLY, is dropped.',
      }),
    ),
    nodeSelector: Type.Optional(LabelMap('Node labels the pod must be scheduled on.')),
    tolerations: Type.Optional(Type.Array(TolerationSchema, { description: 'Tolerations of the pod.' })),
    affinity: Type.Optional(AffinitySchema),
    imagePullSecrets: Type.Optional(
      Type.Array(LocalObjectReferenceSchema, { description: 'Secrets used to pull the agent image.' }),
    ),
    serviceAccountName: Type.Optional(
      Type.String({ description: 'ServiceAccount of the pod (for IRSA or workload identity).' }),
    ),
    volumes: Type.Optional(
      Type.Array(VolumeSchema, {
        description: "Extra pod volumes. The names 'workspace' and 'kelos-*' are reserved.",
        'x-kubernetes-validations': [
          {
            rule: "self.all(v, v.name != 'workspace' && !v.name.startsWith('kelos-'))",
            message: "volume names 'workspace' and 'kelos-*' are reserved",
          },
        ],
      }),
    ),
    volumeMounts: Type.Optional(
      Type.Array(VolumeMountSchema, { description: 'Mounts appended to the agent container.' }),
    ),
    podSecurityContext: Type.Optional(PodSecurityContextSchema),
    containerSecurityContext: Type.Optional(SecurityContextSchema),
    extraContainers: Type.Optional(
      containerList('Sidecar containers run next to the agent (at most 8; names must not be reserved).'),
    ),
    extraInitContainers: Type.Optional(
      containerList(
        'Init containers run after the built-in ones (at most 8); `restartPolicy: Always` makes a native sidecar.',
      ),
    ),
  },
  { description: 'Settings applied to the Job and Pod built for a Task.' },
);
export type PodOverrides = Static<typeof PodOverridesSchema>;

export const ConditionSchema = Type.Object(
  {
    type: Type.String({ description: 'Type of the condition, e.g. Suspended.' }),
    status: StringEnum(['True', 'False', 'Unknown'] as const, { description: 'Status of the condition.' }),
    observedGeneration: Type.Optional(
      Int64({ minimum: 0, description: 'Generation the condition is based on.' }),
    ),
    lastTransitionTime: Type.String({ format: 'date-time', description: 'When the status last changed.' }),
    reason: Type.String({ description: 'Machine-readable reason in CamelCase.' }),
    message: Type.String({ description: 'Human-readable detail.' }),
  },
  { description: 'A standard Kubernetes condition.' },
);
export type Condition = Static<typeof ConditionSchema>;
