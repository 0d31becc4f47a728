import { describe, expect, it } from 'vitest';
import {
  fieldsOf,
  formatLabelSelector,
  labelSelectorFromMatch,
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
} from '../src/apiserver/selectors.js';

const QNAME_RULE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE_RULE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const PREFIX_RULE =
  "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SelectorError);
    return err as Error;
  }
  throw new Error('expected a SelectorError');
}

describe('parseLabelSelector', () => {
  it.each([
    ['', []],
    ['a=b', [{ key: 'a', operator: '=', values: ['b'] }]],
    ['a==b', [{ key: 'a', operator: '==', values: ['b'] }]],
    ['a!=b', [{ key: 'a', operator: '!=', values: ['b'] }]],
    ['a in (x,y)', [{ key: 'a', operator: 'in', values: ['x', 'y'] }]],
    ['a notin (y,x,y)', [{ key: 'a', operator: 'notin', values: ['x', 'y'] }]],
    ['a', [{ key: 'a', operator: 'exists', values: [] }]],
    ['!a', [{ key: 'a', operator: '!', values: [] }]],
    ['a>1', [{ key: 'a', operator: 'gt', values: ['1'] }]],
    ['a<10', [{ key: 'a', operator: 'lt', values: ['10'] }]],
    ['a=', [{ key: 'a', operator: '=', values: [''] }]],
    [
      'b=c,a',
      [
        { key: 'a', operator: 'exists', values: [] },
        { key: 'b', operator: '=', values: ['c'] },
      ],
    ],
    [
      '  a = b ,\tc in ( x , y ) , ! d ',
      [
        { key: 'a', operator: '=', values: ['b'] },
        { key: 'c', operator: 'in', values: ['x', 'y'] },
        { key: 'd', operator: '!', values: [] },
      ],
    ],
    [
      // The example in the labels.Parse documentation.
      'x in (foo,,baz),y,z notin ()',
      [
        { key: 'x', operator: 'in', values: ['', 'baz', 'foo'] },
        { key: 'y', operator: 'exists', values: [] },
        { key: 'z', operator: 'notin', values: [''] },
      ],
    ],
    ['a in (,b)', [{ key: 'a', operator: 'in', values: ['', 'b'] }]],
    ['a in (b,)', [{ key: 'a', operator: 'in', values: ['', 'b'] }]],
    ['a in (in,notin)', [{ key: 'a', operator: 'in', values: ['in', 'notin'] }]],
    ['in=notin', [{ key: 'in', operator: '=', values: ['notin'] }]],
    ['app.kubernetes.io/name=web', [{ key: 'app.kubernetes.io/name', operator: '=', values: ['web'] }]],
    [
      'a in (x),a notin (y)',
      [
        { key: 'a', operator: 'in', values: ['x'] },
        { key: 'a', operator: 'notin', values: ['y'] },
      ],
    ],
  ])('%j', (input, requirements) => {
    expect(parseLabelSelector(input)).toEqual({ requirements });
  });

  it.each([
    ['=a', "found '=', expected: !, identifier, or 'end of string'"],
    ['a=b c', "found 'c', expected: ',' or 'end of string'"],
    ['a,', "found '', expected: identifier after ','"],
    ['a,,b', "found ',', expected: identifier after ','"],
    ['!a=b', "found '=', expected: ',' or 'end of string'"],
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['a in b', "unable to parse requirement: found 'b' expected: '('"],
    ['a in (b', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['a in (b c)', "unable to parse requirement: found 'c', expected: ',' or ')'"],
    ['a in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ['a=(b)', "unable to parse requirement: found '(', expected: identifier"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    [
      'a>b',
      `unable to parse requirement: values[0]: Invalid value: "b": for 'Gt', 'Lt' operators, the value must be an integer`,
    ],
    [
      'a>99999999999999999999',
      `unable to parse requirement: values[0]: Invalid value: "99999999999999999999": for 'Gt', 'Lt' operators, the value must be an integer`,
    ],
    // A negative bound parses as an integer but is not a valid label value, so Kubernetes rejects it too.
    ['a<-10', `unable to parse requirement: values[0][a]: Invalid value: "-10": ${VALUE_RULE}`],
    ['-a=b', `unable to parse requirement: <nil>: Invalid value: "-a": name part ${QNAME_RULE}`],
    ['a=-b', `unable to parse requirement: values[0][a]: Invalid value: "-b": ${VALUE_RULE}`],
    [
      'a in (-x,-y)',
      `unable to parse requirement: [values[0][a]: Invalid value: "-x": ${VALUE_RULE}, values[1][a]: Invalid value: "-y": ${VALUE_RULE}]`,
    ],
    [
      'a/b/c',
      `unable to parse requirement: <nil>: Invalid value: "a/b/c": a qualified name ${QNAME_RULE} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ],
    ['Example.com/a', `unable to parse requirement: <nil>: Invalid value: "Example.com/a": ${PREFIX_RULE}`],
    ['/a', 'unable to parse requirement: <nil>: Invalid value: "/a": prefix part must be non-empty'],
    [
      'a/',
      `unable to parse requirement: <nil>: Invalid value: "a/": name part must be non-empty; name part ${QNAME_RULE}`,
    ],
    [
      `${'k'.repeat(64)}`,
      `unable to parse requirement: <nil>: Invalid value: "${'k'.repeat(64)}": name part must be no more than 63 characters`,
    ],
    [
      `a=${'v'.repeat(64)}`,
      `unable to parse requirement: values[0][a]: Invalid value: "${'v'.repeat(64)}": must be no more than 63 characters`,
    ],
  ])('rejects %j', (input, message) => {
    expect(errorOf(() => parseLabelSelector(input)).message).toBe(message);
  });
});

describe('matchesLabels', () => {
  const labels = { app: 'web', tier: 'fe', n: '5' };
  it.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app=db', false],
    ['app!=db', true],
    ['app!=web', false],
    ['missing!=x', true],
    ['missing=', false],
    ['app in (web,db)', true],
    ['app in (db)', false],
    ['missing in (x)', false],
    ['app notin (web)', false],
    ['missing notin (x)', true],
    ['app', true],
    ['missing', false],
    ['!app', false],
    ['!missing', true],
    ['n>3', true],
    ['n>5', false],
    ['n<6', true],
    ['app>3', false],
    ['missing>1', false],
    ['app=web,tier=fe', true],
    ['app=web,tier=be', false],
  ])('%j on app=web,tier=fe,n=5 is %s', (selector, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(expected);
  });

  it.each([
    ['', true],
    ['!a', true],
    ['a', false],
    ['a!=b', true],
  ])('%j on an object without labels is %s', (selector, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), undefined)).toBe(expected);
  });

  it('does not see inherited properties as labels', () => {
    expect(matchesLabels(parseLabelSelector('constructor'), {})).toBe(false);
  });
});

describe('labelSelectorFromMatch', () => {
  it('treats a missing selector as matching nothing and an empty one as matching everything', () => {
    expect(matchesLabels(labelSelectorFromMatch(undefined), {})).toBe(false);
    expect(matchesLabels(labelSelectorFromMatch(null), { a: 'b' })).toBe(false);
    expect(matchesLabels(labelSelectorFromMatch({}), {})).toBe(true);
    expect(matchesLabels(labelSelectorFromMatch({ matchLabels: {}, matchExpressions: [] }), { a: 'b' })).toBe(
      true,
    );
  });

  const jobSelector = {
    matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1', app: 'web' },
    matchExpressions: [
      { key: 'tier', operator: 'In', values: ['fe', 'be'] },
      { key: 'canary', operator: 'DoesNotExist' },
      { key: 'env', operator: 'NotIn', values: ['prod'] },
      { key: 'team', operator: 'Exists' },
    ],
  };

  it.each([
    [{ 'batch.kubernetes.io/controller-uid': 'u1', app: 'web', tier: 'be', team: 'x' }, true],
    [{ 'batch.kubernetes.io/controller-uid': 'u1', app: 'web', tier: 'be', team: 'x', env: 'dev' }, true],
    [{ 'batch.kubernetes.io/controller-uid': 'u1', app: 'web', tier: 'be', team: 'x', env: 'prod' }, false],
    [{ 'batch.kubernetes.io/controller-uid': 'u1', app: 'web', tier: 'be', team: 'x', canary: '' }, false],
    [{ 'batch.kubernetes.io/controller-uid': 'u1', app: 'web', tier: 'db', team: 'x' }, false],
    [{ 'batch.kubernetes.io/controller-uid': 'u1', app: 'web', tier: 'be' }, false],
    [{ 'batch.kubernetes.io/controller-uid': 'u2', app: 'web', tier: 'be', team: 'x' }, false],
  ])('matches %j: %s', (labels, expected) => {
    expect(matchesLabels(labelSelectorFromMatch(jobSelector), labels)).toBe(expected);
  });

  it('formats like metav1.FormatLabelSelector, sorted by key', () => {
    expect(formatLabelSelector(labelSelectorFromMatch(jobSelector))).toBe(
      'app=web,batch.kubernetes.io/controller-uid=u1,!canary,env notin (prod),team,tier in (be,fe)',
    );
    expect(formatLabelSelector(parseLabelSelector('b in (y,x),a>1,c<2,d==e,f!=g'))).toBe(
      'a>1,b in (x,y),c<2,d==e,f!=g',
    );
    expect(formatLabelSelector(labelSelectorFromMatch({}))).toBe('');
  });

  it.each([
    [{ matchExpressions: [{ key: 'a', operator: 'Foo' }] }, '"Foo" is not a valid label selector operator'],
    [
      { matchExpressions: [{ key: 'a', operator: 'In' }] },
      "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
    ],
    [
      { matchExpressions: [{ key: 'a', operator: 'NotIn', values: [] }] },
      "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty",
    ],
    [
      { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x', 'y'] }] },
      'values: Invalid value: []string{"x", "y"}: values set must be empty for exists and does not exist',
    ],
    [{ matchLabels: { '-bad': 'x' } }, `key: Invalid value: "-bad": name part ${QNAME_RULE}`],
    [{ matchLabels: { a: 'b c' } }, `values[0][a]: Invalid value: "b c": ${VALUE_RULE}`],
  ])('rejects %j', (selector, message) => {
    expect(errorOf(() => labelSelectorFromMatch(selector)).message).toBe(message);
  });
});

describe('parseFieldSelector and matchesFields', () => {
  it.each([
    ['', []],
    ['metadata.name=foo', [{ field: 'metadata.name', operator: '=', value: 'foo' }]],
    ['metadata.name==foo', [{ field: 'metadata.name', operator: '==', value: 'foo' }]],
    [
      'status.phase!=Running,spec.nodeName==n1',
      [
        { field: 'spec.nodeName', operator: '==', value: 'n1' },
        { field: 'status.phase', operator: '!=', value: 'Running' },
      ],
    ],
    ['metadata.name=a\\,b', [{ field: 'metadata.name', operator: '=', value: 'a,b' }]],
    ['metadata.name=a\\=b\\\\c', [{ field: 'metadata.name', operator: '=', value: 'a=b\\c' }]],
    ['spec.nodeName=', [{ field: 'spec.nodeName', operator: '=', value: '' }]],
    ['a=b,', [{ field: 'a', operator: '=', value: 'b' }]],
  ])('parses %j', (input, requirements) => {
    expect(parseFieldSelector(input)).toEqual({ requirements });
  });

  it.each([
    ['metadata.name', "invalid selector: 'metadata.name'; can't understand 'metadata.name'"],
    ['a in (b)', "invalid selector: 'a in (b)'; can't understand 'a in (b)'"],
    ['a<b', "invalid selector: 'a<b'; can't understand 'a<b'"],
    ['a=b=c', 'invalid field selector: unescaped character in value: 61'],
    ['a=b\\x', 'invalid field selector: invalid escape sequence: \\x'],
    ['a=b\\', 'invalid field selector: invalid escape sequence: \\'],
  ])('rejects %j', (input, message) => {
    expect(errorOf(() => parseFieldSelector(input)).message).toBe(message);
  });

  const fields = { 'metadata.name': 'foo', 'status.phase': 'Running' };
  it.each([
    ['', true],
    ['metadata.name=foo', true],
    ['metadata.name==foo', true],
    ['metadata.name=bar', false],
    ['metadata.name!=foo', false],
    ['status.phase!=Pending', true],
    ['spec.nodeName=', true],
    ['spec.nodeName!=', false],
    ['metadata.name=foo,status.phase=Running', true],
    ['metadata.name=foo,status.phase=Failed', false],
  ])('%j matches: %s', (selector, expected) => {
    expect(matchesFields(parseFieldSelector(selector), fields)).toBe(expected);
  });
});

describe('fieldsOf', () => {
  const meta = { 'metadata.name': 'n', 'metadata.namespace': 'ns' };

  it.each([
    ['configmaps', { metadata: { name: 'n', namespace: 'ns' }, data: { a: 'b' } }, meta],
    [
      'namespaces',
      { metadata: { name: 'n' }, status: { phase: 'Active' } },
      { 'metadata.name': 'n', 'metadata.namespace': '', 'status.phase': 'Active' },
    ],
    [
      'secrets',
      { metadata: { name: 'n', namespace: 'ns' }, type: 'kubernetes.io/tls' },
      { ...meta, type: 'kubernetes.io/tls' },
    ],
    ['jobs', { metadata: { name: 'n', namespace: 'ns' }, status: {} }, { ...meta, 'status.successful': '0' }],
    [
      'jobs',
      { metadata: { name: 'n', namespace: 'ns' }, status: { succeeded: 2 } },
      { ...meta, 'status.successful': '2' },
    ],
    [
      'nodes',
      { metadata: { name: 'n' }, spec: { unschedulable: true } },
      { 'metadata.name': 'n', 'metadata.namespace': '', 'spec.unschedulable': 'true' },
    ],
    [
      'replicasets',
      { metadata: { name: 'n', namespace: 'ns' }, status: { replicas: 3 } },
      { ...meta, 'status.replicas': '3' },
    ],
    [
      'pods',
      {
        metadata: { name: 'n', namespace: 'ns' },
        spec: {
          nodeName: 'node-1',
          restartPolicy: 'Never',
          schedulerName: 'default-scheduler',
          serviceAccountName: 'sa',
        },
        status: { phase: 'Running', podIP: '10.0.0.9', podIPs: [{ ip: '10.0.0.9' }, { ip: 'fd00::9' }] },
      },
      {
        ...meta,
        'spec.nodeName': 'node-1',
        'spec.restartPolicy': 'Never',
        'spec.schedulerName': 'default-scheduler',
        'spec.serviceAccountName': 'sa',
        'spec.hostNetwork': 'false',
        'status.phase': 'Running',
        'status.podIP': '10.0.0.9',
        'status.nominatedNodeName': '',
      },
    ],
    [
      'pods',
      { metadata: { name: 'n', namespace: 'ns' } },
      {
        ...meta,
        'spec.nodeName': '',
        'spec.restartPolicy': '',
        'spec.schedulerName': '',
        'spec.serviceAccountName': '',
        'spec.hostNetwork': 'false',
        'status.phase': '',
        'status.podIP': '',
        'status.nominatedNodeName': '',
      },
    ],
    [
      'events',
      {
        metadata: { name: 'n', namespace: 'ns' },
        involvedObject: {
          kind: 'Pod',
          name: 'p',
          namespace: 'ns',
          uid: 'u',
          apiVersion: 'v1',
          resourceVersion: '7',
          fieldPath: 'spec.containers{c}',
        },
        reason: 'Started',
        type: 'Normal',
        source: { component: 'kubelet' },
      },
      {
        ...meta,
        'involvedObject.kind': 'Pod',
        'involvedObject.namespace': 'ns',
        'involvedObject.name': 'p',
        'involvedObject.uid': 'u',
        'involvedObject.apiVersion': 'v1',
        'involvedObject.resourceVersion': '7',
        'involvedObject.fieldPath': 'spec.containers{c}',
        reason: 'Started',
        reportingComponent: '',
        source: 'kubelet',
        type: 'Normal',
      },
    ],
    [
      'events',
      {
        metadata: { name: 'n', namespace: 'ns' },
        regarding: { kind: 'Job', name: 'j' },
        reason: 'Completed',
        type: 'Normal',
        reportingController: 'job-controller',
      },
      {
        ...meta,
        'involvedObject.kind': 'Job',
        'involvedObject.namespace': '',
        'involvedObject.name': 'j',
        'involvedObject.uid': '',
        'involvedObject.apiVersion': '',
        'involvedObject.resourceVersion': '',
        'involvedObject.fieldPath': '',
        reason: 'Completed',
        reportingComponent: 'job-controller',
        source: 'job-controller',
        type: 'Normal',
      },
    ],
  ])('%s %#', (resource, obj, expected) => {
    expect(fieldsOf(resource, obj)).toEqual(expected);
  });

  it('feeds matchesFields, e.g. the kubelet watching its pods', () => {
    const pod = {
      metadata: { name: 'p', namespace: 'default' },
      spec: { nodeName: 'devcluster' },
      status: { phase: 'Running' },
    };
    expect(
      matchesFields(
        parseFieldSelector('spec.nodeName=devcluster,status.phase!=Succeeded'),
        fieldsOf('pods', pod),
      ),
    ).toBe(true);
    expect(matchesFields(parseFieldSelector('spec.nodeName=other'), fieldsOf('pods', pod))).toBe(false);
  });

  it('tolerates objects that are not objects', () => {
    expect(fieldsOf('secrets', null)).toEqual({ 'metadata.name': '', 'metadata.namespace': '', type: '' });
  });
});
