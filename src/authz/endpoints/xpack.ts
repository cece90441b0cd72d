// Machine learning, transforms, watcher and enrich: work the upstream runs later under its own
// identity. Creating or changing it needs the cluster manage_* privilege, and the creator's index
// privileges on the indices it will read (body:datafeed / body:transform / body:enrich), as
// Elasticsearch checks them at creation time.
import { route, type Endpoint } from './route.js';

const GP = ['GET', 'POST'] as const;
const PP = ['PUT', 'POST'] as const;
const JOB = '/_ml/anomaly_detectors/{job_id}';
const FEED = '/_ml/datafeeds/{datafeed_id}';
const TRANSFORM = '/_transform/{transform_id}';
const WATCH = '/_watcher/watch/{watch_id}';

export const XPACK_ENDPOINTS: readonly Endpoint[] = [
  ...route('GET', '/_ml/info', 'cluster:monitor/xpack/ml/info/get'),
  // A job may embed its datafeed (`datafeed_config`), which reads indices later.
  ...route('PUT', JOB, 'cluster:admin/xpack/ml/job/put', 'body:datafeed'),
  ...route('GET', ['/_ml/anomaly_detectors', JOB], 'cluster:monitor/xpack/ml/job/get'),
  ...route('GET', ['/_ml/anomaly_detectors/_stats', `${JOB}/_stats`], 'cluster:monitor/xpack/ml/job/stats/get'),
  ...route('POST', `${JOB}/_open`, 'cluster:admin/xpack/ml/job/open'),
  ...route('POST', `${JOB}/_close`, 'cluster:admin/xpack/ml/job/close'),
  ...route('POST', `${JOB}/_update`, 'cluster:admin/xpack/ml/job/update'),
  ...route('POST', `${JOB}/_flush`, 'cluster:admin/xpack/ml/job/flush'),
  ...route('POST', `${JOB}/_reset`, 'cluster:admin/xpack/ml/job/reset'),
  ...route('DELETE', JOB, 'cluster:admin/xpack/ml/job/delete'),
  ...route(GP, [`${JOB}/results/buckets`, `${JOB}/results/buckets/{timestamp}`], 'cluster:monitor/xpack/ml/job/results/buckets/get'),
  ...route(GP, `${JOB}/results/records`, 'cluster:monitor/xpack/ml/job/results/records/get'),
  ...route('PUT', FEED, 'cluster:admin/xpack/ml/datafeeds/put', 'body:datafeed'),
  ...route('POST', `${FEED}/_update`, 'cluster:admin/xpack/ml/datafeeds/update', 'body:datafeed'),
  ...route(GP, ['/_ml/datafeeds/_preview', `${FEED}/_preview`], 'cluster:admin/xpack/ml/datafeeds/preview', 'body:datafeed'),
  ...route('GET', ['/_ml/datafeeds', FEED], 'cluster:monitor/xpack/ml/datafeeds/get'),
  ...route('GET', ['/_ml/datafeeds/_stats', `${FEED}/_stats`], 'cluster:monitor/xpack/ml/datafeeds/stats/get'),
  ...route('POST', `${FEED}/_start`, 'cluster:admin/xpack/ml/datafeed/start'),
  ...route('POST', `${FEED}/_stop`, 'cluster:admin/xpack/ml/datafeed/stop'),
  ...route('DELETE', FEED, 'cluster:admin/xpack/ml/datafeeds/delete'),
  ...route('PUT', TRANSFORM, 'cluster:admin/transform/put', 'body:transform'),
  ...route('POST', `${TRANSFORM}/_update`, 'cluster:admin/transform/update', 'body:transform'),
  ...route(GP, ['/_transform/_preview', `${TRANSFORM}/_preview`], 'cluster:admin/transform/preview', 'body:transform'),
  ...route('GET', ['/_transform', TRANSFORM], 'cluster:monitor/transform/get'),
  ...route('GET', ['/_transform/_stats', `${TRANSFORM}/_stats`], 'cluster:monitor/transform/stats/get'),
  ...route('POST', `${TRANSFORM}/_start`, 'cluster:admin/transform/start'),
  ...route('POST', `${TRANSFORM}/_stop`, 'cluster:admin/transform/stop'),
  ...route('POST', `${TRANSFORM}/_reset`, 'cluster:admin/transform/reset'),
  ...route('POST', `${TRANSFORM}/_schedule_now`, 'cluster:admin/transform/schedule_now'),
  ...route('DELETE', TRANSFORM, 'cluster:admin/transform/delete'),
  ...route(PP, WATCH, 'cluster:admin/xpack/watcher/watch/put'),
  ...route('GET', WATCH, 'cluster:monitor/xpack/watcher/watch/get'),
  ...route('DELETE', WATCH, 'cluster:admin/xpack/watcher/watch/delete'),
  ...route(PP, ['/_watcher/watch/_execute', `${WATCH}/_execute`], 'cluster:admin/xpack/watcher/watch/execute'),
  ...route(PP, [`${WATCH}/_ack`, `${WATCH}/_ack/{action_id}`], 'cluster:admin/xpack/watcher/watch/ack'),
  ...route(PP, [`${WATCH}/_activate`, `${WATCH}/_deactivate`], 'cluster:admin/xpack/watcher/watch/activate'),
  ...route('GET', ['/_watcher/stats', '/_watcher/stats/{metric}'], 'cluster:monitor/xpack/watcher/stats/dist'),
  ...route('POST', ['/_watcher/_start', '/_watcher/_stop'], 'cluster:admin/xpack/watcher/service'),
  ...route(GP, '/_watcher/_query/watches', 'cluster:monitor/xpack/watcher/watch/query'),
  ...route('PUT', '/_enrich/policy/{name}', 'cluster:admin/xpack/enrich/put', 'body:enrich'),
  ...route('GET', ['/_enrich/policy', '/_enrich/policy/{name}'], 'cluster:admin/xpack/enrich/get'),
  ...route('DELETE', '/_enrich/policy/{name}', 'cluster:admin/xpack/enrich/delete'),
  ...route(PP, '/_enrich/policy/{name}/_execute', 'cluster:admin/xpack/enrich/execute'),
  ...route('GET', '/_enrich/_stats', 'cluster:admin/xpack/enrich/stats'),
];
