#!/usr/bin/env python3
"""Generate N synthetic AWS Security Hub control findings for evpack load tests.

    python3 tests/bench/gen_findings.py --count 100000 --seed 1 > big.json

Output is the shape of `aws securityhub get-findings` ({"Findings": [...], "NextToken": null}),
one compact finding per line, or a lower-case {"findings": [...]} wrapper or a bare array
(--shape). Controls, and their "PCI DSS v4.0.1/<req>" references, come from the Security Hub
control crosswalk (--crosswalk). The data is fictional.

Output is streamed (constant memory) and deterministic: the same --seed, --count and options,
with the same crosswalk, give byte-identical output. Standard library only.
"""

import argparse
import calendar
import json
import os
import random
import re
import sys
import time
import zlib

DEFAULT_CROSSWALK = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data',
                                 'securityhub_crosswalk.json')

REGIONS = ['eu-west-1', 'us-east-1', 'eu-central-1', 'us-west-2', 'ap-southeast-2', 'eu-west-2']

# Finding timestamps lie in [2026-08-01, 2026-10-01).
PERIOD_START = calendar.timegm((2026, 8, 1, 0, 0, 0))
PERIOD_END = calendar.timegm((2026, 10, 1, 0, 0, 0))

# Compliance.Status shares; what is left after these is PASSED. NONE means a GuardDuty-style
# finding with no Compliance object (maps to no control).
STATUS_SHARES = [('FAILED', 0.20), ('WARNING', 0.05), ('NOT_AVAILABLE', 0.03),
                 ('INFOED', 0.0005), ('NONE', 0.004)]

SEVERITY_NORMALIZED = {'INFORMATIONAL': 0, 'LOW': 1, 'MEDIUM': 40, 'HIGH': 70, 'CRITICAL': 90}

ACRONYMS = {'iam', 'mfa', 'kms', 's3', 'ec2', 'rds', 'ssl', 'tls', 'vpc', 'ebs', 'efs', 'acm',
            'ecs', 'eks', 'ecr', 'emr', 'sns', 'sqs', 'ssm', 'waf', 'dms', 'msk', 'api', 'http',
            'https', 'imdsv2', 'cmk', 'elb', 'alb', 'nlb', 'dax', 'sse', 'acl', 'acls', 'aws',
            'db', 'ip', 'ipv4', 'ipv6', 'tcp', 'udp', 'rdp', 'ssh', 'cis', 'dns'}
SERVICE_WORDS = {
    'apigateway': 'API Gateway', 'appsync': 'AppSync', 'autoscaling': 'Auto Scaling',
    'awslambda': 'Lambda', 'cloudformation': 'CloudFormation', 'cloudfront': 'CloudFront',
    'cloudtrail': 'CloudTrail', 'cloudwatch': 'CloudWatch', 'codebuild': 'CodeBuild',
    'documentdb': 'DocumentDB', 'dynamodb': 'DynamoDB', 'elasticache': 'ElastiCache',
    'elasticbeanstalk': 'Elastic Beanstalk', 'elbv2': 'ELBv2', 'eventbridge': 'EventBridge',
    'guardduty': 'GuardDuty', 'networkfirewall': 'Network Firewall', 'opensearch': 'OpenSearch',
    'route53': 'Route 53', 'sagemaker': 'SageMaker', 'secretsmanager': 'Secrets Manager',
    'stepfunctions': 'Step Functions', 'fsx': 'FSx', 'cognito': 'Cognito', 'kinesis': 'Kinesis',
    'neptune': 'Neptune', 'macie': 'Macie', 'athena': 'Athena', 'redshift': 'Redshift',
    'backup': 'Backup', 'config': 'Config', 'organizations': 'Organizations',
}

# Resource type and ARN pattern per control prefix ({a} account, {r} Region, {n} resource number,
# {u} a UUID-like and {h}/{h6} hex strings derived from them). Other prefixes get an AwsAccount
# resource.
RESOURCES = {
    'ACM': ('AwsCertificateManagerCertificate', 'arn:aws:acm:{r}:{a}:certificate/{u}'),
    'APIGateway': ('AwsApiGatewayStage', 'arn:aws:apigateway:{r}::/restapis/api{n:05d}/stages/prod'),
    'AutoScaling': ('AwsAutoScalingAutoScalingGroup',
                    'arn:aws:autoscaling:{r}:{a}:autoScalingGroup:{u}:autoScalingGroupName/asg-{n:05d}'),
    'CloudFront': ('AwsCloudFrontDistribution', 'arn:aws:cloudfront::{a}:distribution/E{n:05d}BENCH'),
    'CloudTrail': ('AwsCloudTrailTrail', 'arn:aws:cloudtrail:{r}:{a}:trail/trail-{n:05d}'),
    'CodeBuild': ('AwsCodeBuildProject', 'arn:aws:codebuild:{r}:{a}:project/build-{n:05d}'),
    'DynamoDB': ('AwsDynamoDbTable', 'arn:aws:dynamodb:{r}:{a}:table/table-{n:05d}'),
    'EC2': ('AwsEc2Instance', 'arn:aws:ec2:{r}:{a}:instance/i-0{n:016x}'),
    'ECR': ('AwsEcrRepository', 'arn:aws:ecr:{r}:{a}:repository/repo-{n:05d}'),
    'ECS': ('AwsEcsTaskDefinition', 'arn:aws:ecs:{r}:{a}:task-definition/task-{n:05d}:1'),
    'EFS': ('AwsEfsFileSystem', 'arn:aws:elasticfilesystem:{r}:{a}:file-system/fs-0{n:016x}'),
    'EKS': ('AwsEksCluster', 'arn:aws:eks:{r}:{a}:cluster/eks-{n:05d}'),
    'ELB': ('AwsElbv2LoadBalancer', 'arn:aws:elasticloadbalancing:{r}:{a}:loadbalancer/app/alb-{n:05d}/{h}'),
    'ES': ('AwsElasticsearchDomain', 'arn:aws:es:{r}:{a}:domain/es-{n:05d}'),
    'IAM': ('AwsIamUser', 'arn:aws:iam::{a}:user/user-{n:05d}'),
    'KMS': ('AwsKmsKey', 'arn:aws:kms:{r}:{a}:key/{u}'),
    'Lambda': ('AwsLambdaFunction', 'arn:aws:lambda:{r}:{a}:function:fn-{n:05d}'),
    'OpenSearch': ('AwsOpenSearchServiceDomain', 'arn:aws:es:{r}:{a}:domain/os-{n:05d}'),
    'RDS': ('AwsRdsDbInstance', 'arn:aws:rds:{r}:{a}:db:db-{n:05d}'),
    'Redshift': ('AwsRedshiftCluster', 'arn:aws:redshift:{r}:{a}:cluster:rs-{n:05d}'),
    'S3': ('AwsS3Bucket', 'arn:aws:s3:::bench-{a}-{r}-{n:05d}'),
    'SNS': ('AwsSnsTopic', 'arn:aws:sns:{r}:{a}:topic-{n:05d}'),
    'SQS': ('AwsSqsQueue', 'arn:aws:sqs:{r}:{a}:queue-{n:05d}'),
    'SSM': ('AwsSsmPatchCompliance', 'arn:aws:ec2:{r}:{a}:instance/i-0{n:016x}'),
    'SecretsManager': ('AwsSecretsManagerSecret', 'arn:aws:secretsmanager:{r}:{a}:secret:secret-{n:05d}-{h6}'),
    'SageMaker': ('AwsSageMakerNotebookInstance', 'arn:aws:sagemaker:{r}:{a}:notebook-instance/nb-{n:05d}'),
}
RESOURCES_PER_TYPE = 500  # distinct resource names per (account, control prefix)

CONTROL_ID = re.compile(r'^[A-Za-z0-9][A-Za-z0-9._-]*$')
TYPES = '["Software and Configuration Checks/Industry and Regulatory Standards"]'
FSBP = '{"StandardsId":"standards/aws-foundational-security-best-practices/v/1.0.0"}'
PCI_STD = '{"StandardsId":"standards/pci-dss/v/4.0.1"}'


def humanise(check):
    """iam_root_hardware_mfa_enabled -> 'IAM root hardware MFA enabled'."""
    words = [w.upper() if w in ACRONYMS else SERVICE_WORDS.get(w, w) for w in check.split('_') if w]
    if words and words[0].islower():
        words[0] = words[0].capitalize()
    return ' '.join(words)


def load_controls(path):
    with open(path, encoding='utf-8') as fh:
        data = json.load(fh)
    controls = data['controls'] if isinstance(data, dict) and 'controls' in data else data
    out = []
    for cid in sorted(controls):
        if not CONTROL_ID.match(cid):
            sys.stderr.write('gen_findings.py: skipping control id %r\n' % cid)
            continue
        entry = controls[cid]
        checks = entry.get('prowler_checks') or []
        pci = (entry.get('requirements') or {}).get('PCI-4.0') or []
        out.append((cid, checks, pci))
    if not out:
        sys.exit('gen_findings.py: no controls in %s' % path)
    return out


class Control:
    """Per-control parts of the finding text, JSON-escaped once."""

    def __init__(self, cid, checks, pci, severity):
        self.cid = cid
        prefix = cid.split('.', 1)[0]
        self.prefix = prefix
        self.global_service = prefix in ('IAM', 'CloudFront')
        self.rtype, self.rpattern = RESOURCES.get(prefix, ('AwsAccount', 'AWS::::Account:{a}'))
        self.account_level = self.rtype == 'AwsAccount'
        self.severity = severity
        what = humanise(checks[0]) if checks else 'Security Hub control %s' % cid
        title = what
        desc = 'Checks: %s. Synthetic finding for evpack load tests.' % what
        self.rule = (checks[0] if checks else cid.lower()).replace('_', '-')[:48]
        self.pci = bool(pci)
        reqs = ','.join(json.dumps('PCI DSS v4.0.1/' + r) for r in pci)
        stds = FSBP + (',' + PCI_STD if pci else '')
        comp_tail = ('"SecurityControlId":%s,"AssociatedStandards":[%s]}'
                     % (json.dumps(cid), stds))
        self.comp_mid = (('"RelatedRequirements":[%s],' % reqs) if pci else '') + comp_tail
        self.head = ('"GeneratorId":"security-control/%s",' % cid)
        self.text = ('"Title":%s,"Description":%s,"Remediation":{"Recommendation":{"Text":'
                     '"For directions, see the Security Hub controls documentation.",'
                     '"Url":"https://docs.aws.amazon.com/console/'
                     'securityhub/%s/remediation"}},' % (json.dumps(title), json.dumps(desc), cid))


def fmt_time(t, ms):
    return time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(t)) + ('.%03dZ' % ms)


def uuid_hex(bits):
    h = '%032x' % bits
    return '%s-%s-%s-%s-%s' % (h[0:8], h[8:12], h[12:16], h[16:20], h[20:32])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--count', type=int, default=1000, help='number of finding records (default 1000)')
    ap.add_argument('--seed', type=int, default=1, help='random seed (default 1)')
    ap.add_argument('--crosswalk', default=DEFAULT_CROSSWALK,
                    help='Security Hub control crosswalk JSON (default: tests/data/securityhub_crosswalk.json)')
    ap.add_argument('--shape', choices=['get-findings', 'lower', 'array'], default='get-findings',
                    help='wrapper: {"Findings":[...],"NextToken":null} (default), {"findings":[...]} or [...]')
    ap.add_argument('--accounts', type=int, default=20, help='number of AWS accounts (default 20)')
    ap.add_argument('--regions', type=int, default=6, choices=range(1, len(REGIONS) + 1),
                    metavar='1..%d' % len(REGIONS), help='number of Regions (default 6)')
    ap.add_argument('--pci-share', type=float, default=0.8,
                    help='share of findings drawn from controls with PCI-4.0 requirements (default 0.8)')
    ap.add_argument('--redeliver', type=float, default=0.02,
                    help='share of records that re-deliver an earlier id with a later UpdatedAt (default 0.02)')
    ap.add_argument('--archived', type=float, default=0.03, help='share of ARCHIVED records (default 0.03)')
    ap.add_argument('--suppressed', type=float, default=0.01, help='share of SUPPRESSED records (default 0.01)')
    ap.add_argument('-o', '--output', help='write here instead of standard output')
    ap.add_argument('--stats', action='store_true', help='print counts and speed to standard error')
    args = ap.parse_args(argv)
    if args.count < 0:
        ap.error('--count must be >= 0')
    if args.accounts < 1:
        ap.error('--accounts must be >= 1')
    for name in ('pci_share', 'redeliver', 'archived', 'suppressed'):
        if not 0.0 <= getattr(args, name) <= 1.0:
            ap.error('--%s must be between 0 and 1' % name.replace('_', '-'))

    rng = random.Random(args.seed)
    rand = rng.random
    bits = rng.getrandbits

    sev_cycle = ['MEDIUM', 'MEDIUM', 'MEDIUM', 'HIGH', 'LOW', 'CRITICAL', 'MEDIUM', 'HIGH']
    controls = [Control(cid, checks, pci, sev_cycle[zlib.crc32(cid.encode()) % len(sev_cycle)])
                for cid, checks, pci in load_controls(args.crosswalk)]
    pci_controls = [c for c in controls if c.pci] or controls
    other_controls = [c for c in controls if not c.pci] or controls
    accounts = ['%012d' % (100000000000 + bits(40) % 900000000000) for _ in range(args.accounts)]
    regions = REGIONS[:args.regions]

    cum = []
    acc = 0.0
    for name, share in STATUS_SHARES:
        acc += share
        cum.append((acc, name))

    out = open(args.output, 'wb') if args.output else sys.stdout.buffer
    if args.shape == 'get-findings':
        opening, closing = b'{"Findings":[\n', b'\n],"NextToken":null}\n'
    elif args.shape == 'lower':
        opening, closing = b'{"findings":[\n', b'\n]}\n'
    else:
        opening, closing = b'[\n', b'\n]\n'

    ring = []           # recent originals that may be re-delivered (bounded)
    ring_size = 4096
    span_first = (PERIOD_END - PERIOD_START) - 10 * 86400
    counts = {'records': 0, 'redelivered': 0, 'archived': 0, 'suppressed': 0}
    status_counts = {}
    started = time.time()
    written = 0

    out.write(opening)
    written += len(opening)
    buf = []
    for i in range(args.count):
        # --- status first: a GuardDuty-style record (NONE) is never re-delivered
        x = rand()
        status = 'PASSED'
        for bound, name in cum:
            if x < bound:
                status = name
                break
        # --- identity: a new finding, or a re-delivery of a recent one
        if ring and status != 'NONE' and rand() < args.redeliver:
            slot = int(rand() * len(ring))
            ctl, acct, region, uid, first_t, upd_t, resid = ring[slot]
            new_t = upd_t + 60 + int(rand() * 7 * 86400)
            if new_t >= PERIOD_END:
                new_t = upd_t + 1
            ring[slot] = (ctl, acct, region, uid, first_t, new_t, resid)
            upd_t = new_t
            counts['redelivered'] += 1
        else:
            pool = pci_controls if rand() < args.pci_share else other_controls
            ctl = pool[int(rand() * len(pool))]
            acct = accounts[int(rand() * len(accounts))]
            if ctl.global_service and 'us-east-1' in regions:
                region = 'us-east-1'
            else:
                region = regions[int(rand() * len(regions))]
            uid = uuid_hex(bits(128))
            first_t = PERIOD_START + int(rand() * span_first)
            upd_t = first_t + int(rand() * (PERIOD_END - 1 - first_t))
            if ctl.account_level or (ctl.rtype == 'AwsIamUser' and rand() < 0.3):
                resid = 'AWS::::Account:' + acct
            else:
                n = int(rand() * RESOURCES_PER_TYPE)
                d = '%08x' % zlib.crc32(('%s/%s/%s/%d' % (ctl.prefix, acct, region, n)).encode())
                resid = ctl.rpattern.format(a=acct, r=region, n=n, h=d + d[::-1], h6=d[:6],
                                            u='%s-%s-4%s-8%s-%s%s' % (d, d[:4], d[4:7], d[1:4], d, d[:4]))
            if status != 'NONE':
                if len(ring) < ring_size:
                    ring.append((ctl, acct, region, uid, first_t, upd_t, resid))
                else:
                    ring[int(rand() * ring_size)] = (ctl, acct, region, uid, first_t, upd_t, resid)
        status_counts[status] = status_counts.get(status, 0) + 1

        # --- state
        y = rand()
        if y < args.archived:
            record = 'ARCHIVED'
            counts['archived'] += 1
        else:
            record = 'ACTIVE'
        z = rand()
        if z < args.suppressed:
            wf, ws = 'SUPPRESSED', 'DEFERRED'
            counts['suppressed'] += 1
        elif status == 'PASSED':
            wf, ws = ('RESOLVED', 'RESOLVED') if z < 0.35 else ('NEW', 'NEW')
        else:
            wf, ws = ('NOTIFIED', 'NEW') if z < 0.15 else ('NEW', 'NEW')
        first = fmt_time(first_t, (first_t * 7) % 1000)
        upd = fmt_time(upd_t, (upd_t * 13) % 1000)

        if status == 'NONE':
            buf.append(guardduty(acct, region, uid, first, upd, wf, ws, record))
        else:
            label = 'INFORMATIONAL' if status == 'PASSED' else ctl.severity
            fid = 'arn:aws:securityhub:%s:%s:security-control/%s/finding/%s' % (region, acct, ctl.cid, uid)
            rule = 'securityhub-%s-%08x' % (ctl.rule, zlib.crc32(('%s%s%s' % (ctl.rule, acct, region)).encode()))
            buf.append(
                '{"SchemaVersion":"2018-10-08","Id":"%s","ProductArn":"arn:aws:securityhub:%s::product/aws/securityhub",'
                '"ProductName":"Security Hub","CompanyName":"AWS","Region":"%s",%s"AwsAccountId":"%s",'
                '"Types":%s,"FirstObservedAt":"%s","LastObservedAt":"%s","CreatedAt":"%s","UpdatedAt":"%s",'
                '"Severity":{"Label":"%s","Normalized":%d,"Original":"%s"},%s'
                '"ProductFields":{"RelatedAWSResources:0/name":"%s",'
                '"RelatedAWSResources:0/type":"AWS::Config::ConfigRule"},'
                '"Resources":[{"Type":"%s","Id":"%s","Partition":"aws","Region":"%s"}],'
                '"Compliance":{"Status":"%s",%s,"WorkflowState":"%s","Workflow":{"Status":"%s"},"RecordState":"%s"}'
                % (fid, region, region, ctl.head, acct, TYPES, first, upd, first, upd,
                   label, SEVERITY_NORMALIZED[label], label, ctl.text, rule,
                   'AwsAccount' if resid.startswith('AWS::::') else ctl.rtype, resid, region,
                   status, ctl.comp_mid, ws, wf, record))
        counts['records'] += 1
        if len(buf) >= 2000:
            chunk = (',\n'.join(buf)).encode('utf-8')
            if i + 1 > len(buf):
                chunk = b',\n' + chunk
            out.write(chunk)
            written += len(chunk)
            buf = []
    if buf:
        chunk = (',\n'.join(buf)).encode('utf-8')
        if args.count > len(buf):
            chunk = b',\n' + chunk
        out.write(chunk)
        written += len(chunk)
    out.write(closing)
    written += len(closing)
    out.flush()
    if args.output:
        out.close()
    if args.stats:
        secs = max(time.time() - started, 1e-9)
        sys.stderr.write('records %d (distinct ids %d), redelivered %d, archived %d, suppressed %d; '
                         'status %s; %d bytes (%.0f B/record) in %.2f s = %.1f MB/s\n'
                         % (counts['records'], counts['records'] - counts['redelivered'],
                            counts['redelivered'], counts['archived'], counts['suppressed'],
                            ' '.join('%s=%d' % kv for kv in sorted(status_counts.items())),
                            written, written / max(counts['records'], 1), secs, written / secs / 1e6))
    return 0


def guardduty(acct, region, uid, first, upd, wf, ws, record):
    """A GuardDuty threat finding: no Compliance object, so it maps to no control."""
    det = ('%08x' % zlib.crc32(('%s/%s' % (acct, region)).encode())) * 4
    fid = 'arn:aws:guardduty:%s:%s:detector/%s/finding/%s' % (region, acct, det, uid.replace('-', ''))
    return ('{"SchemaVersion":"2018-10-08","Id":"%s","ProductArn":"arn:aws:securityhub:%s::product/aws/guardduty",'
            '"ProductName":"GuardDuty","CompanyName":"Amazon","Region":"%s","GeneratorId":"arn:aws:guardduty:%s:%s:detector/%s",'
            '"AwsAccountId":"%s","Types":["TTPs/Discovery/Recon:IAMUser-MaliciousIPCaller.Custom"],'
            '"FirstObservedAt":"%s","LastObservedAt":"%s","CreatedAt":"%s","UpdatedAt":"%s",'
            '"Severity":{"Label":"MEDIUM","Normalized":50,"Product":5},'
            '"Title":"API DescribeInstances was invoked from an IP address on a custom threat list.",'
            '"Description":"An API was used to access a permission from IP address 198.51.100.23, which is on a custom threat list. Synthetic finding for load testing.",'
            '"ProductFields":{"aws/guardduty/service/action/actionType":"AWS_API_CALL","aws/securityhub/ProductName":"GuardDuty",'
            '"aws/securityhub/CompanyName":"Amazon","aws/securityhub/FindingId":"arn:aws:securityhub:%s::product/aws/guardduty/%s"},'
            '"Resources":[{"Type":"AwsIamAccessKey","Id":"AWS::IAM::AccessKey:AKIAIOSFODNN7EXAMPLE","Partition":"aws","Region":"%s"}],'
            '"WorkflowState":"%s","Workflow":{"Status":"%s"},"RecordState":"%s",'
            '"FindingProviderFields":{"Severity":{"Label":"MEDIUM","Original":"5"},"Types":["TTPs/Discovery/Recon:IAMUser-MaliciousIPCaller.Custom"]}}'
            % (fid, region, region, region, acct, det, acct, first, upd, first, upd, region, fid, region, ws, wf, record))


if __name__ == '__main__':
    try:
        sys.exit(main())
    except BrokenPipeError:
        # e.g. piped into head: stop quietly
        try:
            sys.stdout = None
        except Exception:
            pass
        os._exit(1)
