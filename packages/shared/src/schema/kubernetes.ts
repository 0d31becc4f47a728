import type {
  V1Affinity,
  V1Container,
  V1EnvVar,
  V1LocalObjectReference,
  V1PodSecurityContext,
  V1ResourceRequirements,
  V1SecurityContext,
  V1Toleration,
  V1Volume,
  V1VolumeMount,
} from '@kubernetes/client-node';
import { type TSchema, type TUnsafe, Type } from '@sinclair/typebox';
import { IntOrString, MapOf, PreservedObject, StringMap } from './helpers.js';

/** Schemas of the core/v1 types that Kelos objects embed (in `podOverrides`). */

function typed<T>(schema: TSchema): TUnsafe<T> {
  return Type.Unsafe<T>(schema);
}

const keySelector = (what: string) =>
  Type.Object(
    {
      name: Type.Optional(Type.String({ description: `Name of the ${what}.` })),
      key: Type.String({ description: `The key of the ${what} to select.` }),
      optional: Type.Optional(
        Type.Boolean({ description: `Whether the ${what} or its key must be defined.` }),
      ),
    },
    { description: `Selects a key of a ${what}.` },
  );

export const EnvVarSchema = typed<V1EnvVar>(
  Type.Object(
    {
      name: Type.String({ description: 'Name of the environment variable.' }),
      value: Type.Optional(Type.String({ description: 'Literal value; `$(VAR)` references are expanded.' })),
      valueFrom: Type.Optional(
        Type.Object(
          {
            secretKeyRef: Type.Optional(keySelector('Secret')),
            configMapKeyRef: Type.Optional(keySelector('ConfigMap')),
            fieldRef: Type.Optional(
              Type.Object(
                {
                  apiVersion: Type.Optional(
                    Type.String({ description: 'Version of the schema of fieldPath.' }),
                  ),
                  fieldPath: Type.String({ description: 'Path of the field to select, e.g. metadata.name.' }),
                },
                { description: 'Selects a field of the pod.' },
              ),
            ),
            resourceFieldRef: Type.Optional(
              Type.Object(
                {
                  containerName: Type.Optional(Type.String({ description: 'Container name.' })),
                  resource: Type.String({ description: 'Resource to select, e.g. limits.cpu.' }),
                  divisor: Type.Optional(IntOrString({ description: 'Output format of the resource.' })),
                },
                { description: 'Selects a resource of the container.' },
              ),
            ),
          },
          { description: 'Source of the value when `value` is not set.' },
        ),
      ),
    },
    { description: 'An environment variable of a container.' },
  ),
);

export const VolumeMountSchema = typed<V1VolumeMount>(
  Type.Object(
    {
      name: Type.String({ description: 'Name of the volume to mount.' }),
      mountPath: Type.String({ description: 'Path inside the container.' }),
      readOnly: Type.Optional(Type.Boolean({ description: 'Mount read-only.' })),
      subPath: Type.Optional(Type.String({ description: 'Path within the volume to mount.' })),
      subPathExpr: Type.Optional(Type.String({ description: 'Like subPath, with `$(VAR)` expansion.' })),
      mountPropagation: Type.Optional(Type.String({ description: 'How mounts propagate.' })),
      recursiveReadOnly: Type.Optional(Type.String({ description: 'Recursive read-only mode.' })),
    },
    { description: 'A volume mounted into a container.' },
  ),
);

export const LocalObjectReferenceSchema = typed<V1LocalObjectReference>(
  Type.Object(
    { name: Type.String({ description: 'Name of the referenced object.' }) },
    { description: 'A reference to an object in the same namespace.' },
  ),
);

export const ResourceRequirementsSchema = typed<V1ResourceRequirements>(
  Type.Object(
    {
      limits: Type.Optional(
        MapOf(IntOrString(), { description: 'Maximum resources, e.g. cpu: 2, memory: 4Gi.' }),
      ),
      requests: Type.Optional(
        MapOf(IntOrString(), { description: 'Minimum resources the scheduler reserves.' }),
      ),
    },
    { description: 'Compute resources of the agent container.' },
  ),
);

export const TolerationSchema = typed<V1Toleration>(
  Type.Object(
    {
      key: Type.Optional(Type.String({ description: 'Taint key the toleration applies to.' })),
      operator: Type.Optional(Type.String({ description: '`Exists` or `Equal`.' })),
      value: Type.Optional(Type.String({ description: 'Taint value to match.' })),
      effect: Type.Optional(Type.String({ description: 'Taint effect to match.' })),
      tolerationSeconds: Type.Optional(
        Type.Integer({ format: 'int64', description: 'How long to tolerate.' }),
      ),
    },
    { description: 'A toleration of node taints.' },
  ),
);

const named = { name: Type.String({ description: 'Name, unique within its list.' }) };

export const ContainerSchema = PreservedObject<V1Container>(
  'A core/v1 Container; fields other than name are passed to the Job as written.',
  named,
  ['name'],
);

export const VolumeSchema = PreservedObject<V1Volume>(
  'A core/v1 Volume; fields other than name are passed to the Job as written.',
  named,
  ['name'],
);

export const AffinitySchema = PreservedObject<V1Affinity>(
  'A core/v1 Affinity, passed to the pod as written.',
);

export const PodSecurityContextSchema = PreservedObject<V1PodSecurityContext>(
  'A core/v1 PodSecurityContext; replaces the default, keeping fsGroup 61100 when unset.',
);

export const SecurityContextSchema = PreservedObject<V1SecurityContext>(
  'A core/v1 SecurityContext for the agent container.',
);

export const LabelMap = (description: string) => StringMap({ description });
