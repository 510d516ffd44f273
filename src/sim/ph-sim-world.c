/* ph-sim-world.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ph-sim-world.h"

#define MAX_OLD_REPLICASETS 3
/* Churn steps a new pod spends in its init container, and a deleted pod
 * in Terminating: counted in steps, not seconds, so a seeded run is the
 * same at any churn rate. */
#define INIT_STEPS 3
#define GRACE_STEPS 4
#define GRACE_SECONDS 30
/* Churn steps between two runs of the CronJobs, the steps a run takes,
 * and the finished runs a CronJob keeps (successfulJobsHistoryLimit). */
#define CRON_STEPS 50
#define JOB_STEPS 10
#define JOB_HISTORY 3

/* The init container and the sidecar some workloads have. */
#define INIT_CONTAINER_SPEC \
  "\"initContainers\":[{\"name\":\"init-config\",\"image\":\"busybox:1.36\"," \
  "\"command\":[\"sh\",\"-c\",\"cp /config-template/* /etc/app/\"]," \
  "\"resources\":{\"requests\":{\"cpu\":\"10m\",\"memory\":\"16Mi\"}}," \
  "\"volumeMounts\":[{\"name\":\"config\",\"mountPath\":\"/etc/app\"}]," \
  "\"terminationMessagePath\":\"/dev/termination-log\",\"terminationMessagePolicy\":\"File\"," \
  "\"imagePullPolicy\":\"IfNotPresent\"}],"
#define SIDECAR_SPEC \
  ",{\"name\":\"log-shipper\",\"image\":\"fluent/fluent-bit:2.1\"," \
  "\"args\":[\"--config=/etc/app/fluent-bit.conf\"]," \
  "\"resources\":{\"limits\":{\"cpu\":\"100m\",\"memory\":\"64Mi\"}," \
  "\"requests\":{\"cpu\":\"20m\",\"memory\":\"32Mi\"}}," \
  "\"volumeMounts\":[{\"name\":\"config\",\"mountPath\":\"/etc/app\"}]," \
  "\"terminationMessagePath\":\"/dev/termination-log\",\"terminationMessagePolicy\":\"File\"," \
  "\"imagePullPolicy\":\"IfNotPresent\"}"

typedef struct _Deployment Deployment;

typedef struct {
  char   *name;
  char   *uid;
  gint64  created;
} Namespace;

typedef struct {
  char   *name;
  char   *uid;
  char   *ip;
  gint64  created;
} Node;

typedef struct {
  Deployment *deployment;
  char       *name;
  char       *uid;
  char       *hash;
  gint64      created;
  guint       revision;
  guint       replicas;
  guint       image_version;
} ReplicaSet;

struct _Deployment {
  const char *namespace_;
  char       *name;
  char       *uid;
  const char *image;
  gint64      created;
  guint       replicas;
  guint       base_replicas;
  guint       generation;
  guint       port;
  gboolean    sidecar;          /* a second container in its pods */
  gboolean    init;             /* an init container in its pods */
  ReplicaSet *current;
  GPtrArray  *replicasets;      /* ReplicaSet, oldest first, current last */
  GPtrArray  *pods;             /* Pod, not owned */
};

typedef struct {
  Deployment *deployment;
  ReplicaSet *rs;
  char       *name;
  char       *uid;
  char       *ip;
  Node       *node;
  gint64      created;
  gint64      started;
  gint64      last_restart;
  guint       restarts;
  gboolean    crashing;
  gboolean    initializing;     /* its init container still runs */
  gint64      deleted;          /* deletionTimestamp, 0 if none */
  guint64     due_step;         /* ends initializing or terminating */
  guint       index;            /* in world->pods, unless terminating */
  char       *extra_key;        /* a label set by hand (kubectl label) */
  char       *extra_value;
} Pod;

typedef struct {
  char *key;
  char *namespace_;
  char *name;
} EventRef;

typedef struct {
  const char *name;
  const char *image;
  const char *schedule;
  gint        interval;         /* seconds between runs */
} CronSpec;

typedef struct _CronJob CronJob;

typedef struct {
  CronJob    *cronjob;          /* NULL for a Job of its own */
  const char *namespace_;
  char       *name;
  char       *uid;
  const char *container;
  const char *image;
  gint64      started;
  gint64      completed;        /* 0 while it runs */
  guint64     due_step;
} Job;

struct _CronJob {
  const char     *namespace_;
  char           *name;
  char           *uid;
  const CronSpec *spec;
  gint64          created;
  gint64          last_schedule;
  gint64          last_success;
  gint64          last_minute;  /* of the newest run's name */
  GQueue          jobs;         /* Job, owned, oldest first */
};

/* A claim and the volume bound to it. */
typedef struct {
  const char *namespace_;
  char       *claim;
  char       *claim_uid;
  char       *app;              /* of a StatefulSet's claim, or NULL */
  const char *storage_class;
  const char *size;
  const char *access_mode;
  gint64      created;
  Node       *node;
} Volume;

struct _PhSimWorld {
  PhSimStore *store;
  GRand      *rand;
  gint64      epoch;
  GPtrArray  *namespaces;       /* Namespace */
  GPtrArray  *nodes;            /* Node */
  GPtrArray  *deployments;      /* Deployment */
  GPtrArray  *pods;             /* Pod, owned; order is random-pick order */
  GHashTable *pods_by_key;      /* "ns/name" → Pod */
  GQueue      events;           /* EventRef, oldest first */
  GQueue      initializing;     /* Pod, in world->pods, oldest first */
  GQueue      terminating;      /* Pod, owned, out of world->pods and
                                 * their deployment, oldest first */
  guint64     step;
  guint       max_events;
  guint       ip_counter;
  /* The kinds beyond the workloads draw from their own generator, so a
   * seed yields the same workloads and events as it did before them. */
  GRand      *extra_rand;
  GPtrArray  *cronjobs;         /* CronJob */
  GQueue      running_jobs;     /* Job, in a CronJob, oldest first */
  guint       next_cronjob;
};

static const char *const namespace_names[] = {
  "default", "kube-system", "payments", "checkout", "search", "catalog",
  "identity", "messaging", "analytics", "monitoring", "ingress", "storage",
  "billing", "shipping", "inventory", "recommendations", "media", "notifications",
};

static const char *const app_names[] = {
  "api", "web", "worker", "cache", "auth", "gateway", "frontend", "ingest",
  "indexer", "mailer", "metrics", "notifier", "scheduler", "store", "queue",
  "reporter", "sync", "thumbnailer", "tracker", "uploader",
};

static const char *const images[] = {
  "nginx", "redis", "postgres", "busybox", "envoyproxy/envoy", "python",
  "node", "golang", "rabbitmq", "memcached",
};

static const char *const widget_colors[] = {
  "red", "green", "blue", "amber", "violet",
};

static const char *const event_reasons[][3] = {
  { "Normal", "Pulled", "Container image already present on machine" },
  { "Normal", "Created", "Created container main" },
  { "Normal", "Started", "Started container main" },
  { "Warning", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503" },
  { "Normal", "Scheduled", "Successfully assigned pod to node" },
};

/* The alphabet Kubernetes uses for generated name suffixes. */
static const char name_alphabet[] = "bcdfghjklmnpqrstvwxz2456789";

static char *
random_suffix (PhSimWorld *self,
               guint       length)
{
  char *s = g_malloc (length + 1);

  for (guint i = 0; i < length; i++)
    s[i] = name_alphabet[g_rand_int_range (self->rand, 0, sizeof name_alphabet - 1)];
  s[length] = '\0';

  return s;
}

static char *
random_uid (PhSimWorld *self)
{
  guint32 a = g_rand_int (self->rand), b = g_rand_int (self->rand);
  guint32 c = g_rand_int (self->rand), d = g_rand_int (self->rand);

  return g_strdup_printf ("%08x-%04x-4%03x-%04x-%04x%08x",
                          a, b >> 16, b & 0xfff, 0x8000 | (c & 0x3fff),
                          c >> 16, d);
}

static char *
format_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_seconds);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

char *
ph_sim_format_age (gint64 seconds)
{
  gint64 minutes, hours, days;

  if (seconds < 0)
    seconds = 0;
  minutes = seconds / 60;
  hours = seconds / 3600;
  days = hours / 24;

  if (seconds < 120)
    return g_strdup_printf ("%" G_GINT64_FORMAT "s", seconds);
  if (minutes < 10)
    {
      gint64 s = seconds % 60;
      if (s == 0)
        return g_strdup_printf ("%" G_GINT64_FORMAT "m", minutes);
      return g_strdup_printf ("%" G_GINT64_FORMAT "m%" G_GINT64_FORMAT "s", minutes, s);
    }
  if (minutes < 180)
    return g_strdup_printf ("%" G_GINT64_FORMAT "m", minutes);
  if (hours < 8)
    {
      gint64 m = minutes % 60;
      if (m == 0)
        return g_strdup_printf ("%" G_GINT64_FORMAT "h", hours);
      return g_strdup_printf ("%" G_GINT64_FORMAT "h%" G_GINT64_FORMAT "m", hours, m);
    }
  if (hours < 48)
    return g_strdup_printf ("%" G_GINT64_FORMAT "h", hours);
  if (hours < 192)
    {
      gint64 h = hours % 24;
      if (h == 0)
        return g_strdup_printf ("%" G_GINT64_FORMAT "d", days);
      return g_strdup_printf ("%" G_GINT64_FORMAT "d%" G_GINT64_FORMAT "h", days, h);
    }
  if (days < 365 * 2)
    return g_strdup_printf ("%" G_GINT64_FORMAT "d", days);
  if (days < 365 * 8)
    {
      gint64 d = days % 365;
      if (d == 0)
        return g_strdup_printf ("%" G_GINT64_FORMAT "y", days / 365);
      return g_strdup_printf ("%" G_GINT64_FORMAT "y%" G_GINT64_FORMAT "d", days / 365, d);
    }
  return g_strdup_printf ("%" G_GINT64_FORMAT "y", days / 365);
}

static void
append_json_string (GString    *s,
                    const char *text)
{
  g_string_append_c (s, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        {
          g_string_append_c (s, '\\');
          g_string_append_c (s, *p);
        }
      else if ((guchar) *p < 0x20)
        g_string_append_printf (s, "\\u%04x", (guchar) *p);
      else
        g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
}

/* Building one object. */

typedef struct {
  PhSimObj *obj;
  GString  *s;
} Render;

static void
render_begin (Render     *r,
              PhSimResId  res,
              const char *namespace_,
              const char *name,
              const char *uid,
              guint64     rv,
              gint64      created)
{
  const PhSimResource *resource = &ph_sim_resources[res];
  g_autofree char *created_text = format_time (created);

  r->obj = g_new0 (PhSimObj, 1);
  r->obj->ref_count = 1;
  r->obj->res = res;
  r->obj->namespace_ = g_strdup (namespace_);
  r->obj->name = g_strdup (name);
  r->obj->key = namespace_ ? g_strconcat (namespace_, "/", name, NULL) : g_strdup (name);
  r->obj->uid = g_strdup (uid);
  r->obj->rv = rv;
  r->obj->created = created;

  r->s = g_string_sized_new (8192);
  g_string_append_printf (r->s, "{\"kind\":\"%s\",\"apiVersion\":\"%s%s%s\",\"metadata\":",
                          resource->kind, resource->group,
                          resource->group[0] ? "/" : "", resource->version);
  r->obj->meta_offset = r->s->len;
  g_string_append_printf (r->s, "{\"name\":\"%s\",", name);
  if (namespace_ != NULL)
    g_string_append_printf (r->s, "\"namespace\":\"%s\",", namespace_);
  g_string_append_printf (r->s,
                          "\"uid\":\"%s\",\"resourceVersion\":\"%" G_GUINT64_FORMAT "\","
                          "\"creationTimestamp\":\"%s\"",
                          uid, rv, created_text);
}

/* Call after the last metadata member. */
static void
render_end_metadata (Render *r)
{
  const char *managed = strstr (r->s->str + r->obj->meta_offset, ",\"managedFields\":");

  /* Every renderer writes managedFields last, so it ends here. */
  if (managed != NULL)
    {
      r->obj->managed_offset = managed - r->s->str;
      r->obj->managed_length = r->s->len - r->obj->managed_offset;
    }
  g_string_append_c (r->s, '}');
  r->obj->meta_length = r->s->len - r->obj->meta_offset;
}

static void
render_labels (Render     *r,
               const char *first_key,
               ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *key = first_key;
  va_list args;
  gboolean first = TRUE;

  g_string_append (r->s, ",\"labels\":{");
  va_start (args, first_key);
  while (key != NULL)
    {
      const char *value = va_arg (args, const char *);

      g_string_append_printf (r->s, "%s\"%s\":\"%s\"", first ? "" : ",", key, value);
      g_strv_builder_add (builder, key);
      g_strv_builder_add (builder, value);
      first = FALSE;
      key = va_arg (args, const char *);
    }
  va_end (args);
  g_string_append_c (r->s, '}');

  r->obj->labels = g_strv_builder_end (builder);
}

static void
render_fields (Render     *r,
               const char *first_label,
               ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *label = first_label;
  va_list args;

  va_start (args, first_label);
  while (label != NULL)
    {
      g_strv_builder_add (builder, label);
      g_strv_builder_add (builder, va_arg (args, const char *));
      label = va_arg (args, const char *);
    }
  va_end (args);

  r->obj->fields = g_strv_builder_end (builder);
}

static void
render_owner (Render     *r,
              const char *api_version,
              const char *kind,
              const char *name,
              const char *uid)
{
  g_string_append_printf (r->s,
                          ",\"ownerReferences\":[{\"apiVersion\":\"%s\",\"kind\":\"%s\","
                          "\"name\":\"%s\",\"uid\":\"%s\",\"controller\":true,"
                          "\"blockOwnerDeletion\":true}]",
                          api_version, kind, name, uid);
}

static void
render_cells (Render     *r,
              char       *before_age,
              char       *after_age)
{
  r->obj->cells_before_age = before_age;
  r->obj->cells_after_age = after_age;
}

static PhSimObj *
render_finish (Render *r)
{
  g_string_append_c (r->s, '}');
  /* An exact copy: the builder's spare capacity would double the memory
   * of a large cluster. */
  r->obj->json = g_bytes_new (r->s->str, r->s->len);
  g_string_free (g_steal_pointer (&r->s), TRUE);
  return r->obj;
}

/* Committing. */

static void
commit (PhSimWorld     *self,
        PhSimEventType  type,
        PhSimObj       *obj)
{
  if (!ph_sim_store_commit (self->store, type, obj))
    g_warning ("Simulated store refused %s of %s", ph_sim_event_type_to_string (type), obj->key);
  ph_sim_obj_unref (obj);
}

static void
populate (PhSimWorld *self,
          PhSimObj   *obj)
{
  ph_sim_store_populate (self->store, obj);
  ph_sim_obj_unref (obj);
}

static guint64
next_rv (PhSimWorld *self)
{
  return ph_sim_store_next_rv (self->store);
}

/* Namespaces, nodes and other objects that never change. */

static PhSimObj *
render_namespace (Namespace *ns,
                  guint64    rv)
{
  Render r;

  render_begin (&r, PH_SIM_RES_NAMESPACES, NULL, ns->name, ns->uid, rv, ns->created);
  render_labels (&r, "kubernetes.io/metadata.name", ns->name, NULL);
  g_string_append_printf (r.s,
                          ",\"managedFields\":[{\"manager\":\"kubectl-create\",\"operation\":\"Update\","
                          "\"apiVersion\":\"v1\",\"time\":\"%s\",\"fieldsType\":\"FieldsV1\","
                          "\"fieldsV1\":{\"f:metadata\":{\"f:labels\":{\".\":{},"
                          "\"f:kubernetes.io/metadata.name\":{}}}}}]",
                          "2026-01-01T00:00:00Z");
  render_end_metadata (&r);
  g_string_append (r.s, ",\"spec\":{\"finalizers\":[\"kubernetes\"]},\"status\":{\"phase\":\"Active\"}");
  render_fields (&r, "status.phase", "Active", NULL);
  render_cells (&r, g_strdup_printf ("\"%s\",\"Active\",", ns->name), g_strdup (""));
  return render_finish (&r);
}

static PhSimObj *
render_node (Node    *node,
             guint64  rv)
{
  Render r;
  g_autofree char *created = format_time (node->created);

  render_begin (&r, PH_SIM_RES_NODES, NULL, node->name, node->uid, rv, node->created);
  render_labels (&r,
                 "beta.kubernetes.io/arch", "amd64",
                 "beta.kubernetes.io/os", "linux",
                 "kubernetes.io/arch", "amd64",
                 "kubernetes.io/hostname", node->name,
                 "kubernetes.io/os", "linux",
                 "node.kubernetes.io/instance-type", "n2-standard-8",
                 "topology.kubernetes.io/zone", "europe-west1-b",
                 NULL);
  g_string_append (r.s, ",\"annotations\":{\"node.alpha.kubernetes.io/ttl\":\"0\","
                   "\"volumes.kubernetes.io/controller-managed-attach-detach\":\"true\"}");
  render_end_metadata (&r);
  g_string_append_printf (r.s,
                          ",\"spec\":{\"podCIDR\":\"10.244.%u.0/24\",\"providerID\":\"sim://%s\"},"
                          "\"status\":{\"capacity\":{\"cpu\":\"8\",\"ephemeral-storage\":\"102400Mi\","
                          "\"memory\":\"32Gi\",\"pods\":\"110\"},"
                          "\"allocatable\":{\"cpu\":\"7910m\",\"ephemeral-storage\":\"94371840Ki\","
                          "\"memory\":\"29Gi\",\"pods\":\"110\"},"
                          "\"conditions\":["
                          "{\"type\":\"MemoryPressure\",\"status\":\"False\",\"lastHeartbeatTime\":\"%s\",\"lastTransitionTime\":\"%s\",\"reason\":\"KubeletHasSufficientMemory\",\"message\":\"kubelet has sufficient memory available\"},"
                          "{\"type\":\"DiskPressure\",\"status\":\"False\",\"lastHeartbeatTime\":\"%s\",\"lastTransitionTime\":\"%s\",\"reason\":\"KubeletHasNoDiskPressure\",\"message\":\"kubelet has no disk pressure\"},"
                          "{\"type\":\"PIDPressure\",\"status\":\"False\",\"lastHeartbeatTime\":\"%s\",\"lastTransitionTime\":\"%s\",\"reason\":\"KubeletHasSufficientPID\",\"message\":\"kubelet has sufficient PID available\"},"
                          "{\"type\":\"Ready\",\"status\":\"True\",\"lastHeartbeatTime\":\"%s\",\"lastTransitionTime\":\"%s\",\"reason\":\"KubeletReady\",\"message\":\"kubelet is posting ready status\"}],"
                          "\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"%s\"},{\"type\":\"Hostname\",\"address\":\"%s\"}],"
                          "\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":10250}},"
                          "\"nodeInfo\":{\"machineID\":\"%s\",\"systemUUID\":\"%s\",\"bootID\":\"%s\","
                          "\"kernelVersion\":\"6.1.0-28-cloud-amd64\",\"osImage\":\"Debian GNU/Linux 12 (bookworm)\","
                          "\"containerRuntimeVersion\":\"containerd://1.7.22\",\"kubeletVersion\":\"v1.30.4\","
                          "\"kubeProxyVersion\":\"v1.30.4\",\"operatingSystem\":\"linux\",\"architecture\":\"amd64\"}}",
                          (guint) (g_str_hash (node->name) % 250), node->name,
                          created, created, created, created, created, created, created, created,
                          node->ip, node->name, node->uid, node->uid, node->uid);
  render_fields (&r, "spec.unschedulable", "false", NULL);
  render_cells (&r, g_strdup_printf ("\"%s\",\"Ready\",\"<none>\",", node->name),
                g_strdup_printf (",\"v1.30.4\",\"%s\",\"<none>\",\"Debian GNU/Linux 12 (bookworm)\","
                                 "\"6.1.0-28-cloud-amd64\",\"containerd://1.7.22\"", node->ip));
  return render_finish (&r);
}

static PhSimObj *
render_service (PhSimWorld *self,
                Deployment *dep,
                guint64     rv)
{
  Render r;
  g_autofree char *uid = random_uid (self);
  guint ip = g_str_hash (dep->uid);

  render_begin (&r, PH_SIM_RES_SERVICES, dep->namespace_, dep->name, uid, rv, dep->created);
  render_labels (&r, "app", dep->name, "app.kubernetes.io/part-of", dep->namespace_, NULL);
  render_end_metadata (&r);
  g_string_append_printf (r.s,
                          ",\"spec\":{\"ports\":[{\"name\":\"http\",\"protocol\":\"TCP\",\"port\":80,"
                          "\"targetPort\":%u}],\"selector\":{\"app\":\"%s\"},"
                          "\"clusterIP\":\"10.96.%u.%u\",\"clusterIPs\":[\"10.96.%u.%u\"],"
                          "\"type\":\"ClusterIP\",\"sessionAffinity\":\"None\","
                          "\"ipFamilies\":[\"IPv4\"],\"ipFamilyPolicy\":\"SingleStack\","
                          "\"internalTrafficPolicy\":\"Cluster\"},\"status\":{\"loadBalancer\":{}}",
                          dep->port, dep->name, (ip >> 8) & 0xff, ip & 0xff, (ip >> 8) & 0xff, ip & 0xff);
  render_cells (&r, g_strdup_printf ("\"%s\",\"ClusterIP\",\"10.96.%u.%u\",\"<none>\",\"80/TCP\",",
                                     dep->name, (ip >> 8) & 0xff, ip & 0xff),
                g_strdup_printf (",\"app=%s\"", dep->name));
  return render_finish (&r);
}

static PhSimObj *
render_configmap (PhSimWorld *self,
                  const char *namespace_,
                  const char *name,
                  gint64      created,
                  guint64     rv)
{
  Render r;
  g_autofree char *uid = random_uid (self);

  render_begin (&r, PH_SIM_RES_CONFIGMAPS, namespace_, name, uid, rv, created);
  render_end_metadata (&r);
  if (g_str_equal (name, "kube-root-ca.crt"))
    {
      g_string_append (r.s, ",\"data\":{\"ca.crt\":\"-----BEGIN CERTIFICATE-----\\n"
                       "MIIBdzCCAR2gAwIBAgIBADAKBggqhkjOPQQDAjAjMSEwHwYDVQQDDBhrM3Mtc2Vy\\n"
                       "-----END CERTIFICATE-----\\n\"}");
      render_cells (&r, g_strdup_printf ("\"%s\",1,", name), g_strdup (""));
    }
  else
    {
      g_string_append (r.s, ",\"data\":{\"LOG_LEVEL\":\"info\",\"LISTEN_ADDR\":\":8080\","
                       "\"config.yaml\":\"server:\\n  port: 8080\\n  timeout: 30s\\nfeatures:\\n  tracing: true\\n\"}");
      render_cells (&r, g_strdup_printf ("\"%s\",3,", name), g_strdup (""));
    }
  return render_finish (&r);
}

static PhSimObj *
render_widget (PhSimWorld *self,
               const char *namespace_,
               const char *name,
               const char *color,
               guint       size,
               gint64      created,
               guint64     rv)
{
  Render r;
  g_autofree char *uid = random_uid (self);
  const char *phase = size % 4 == 0 ? "Pending" : "Ready";

  render_begin (&r, PH_SIM_RES_WIDGETS, namespace_, name, uid, rv, created);
  render_labels (&r, "color", color, NULL);
  g_string_append (r.s, ",\"generation\":1");
  render_end_metadata (&r);
  g_string_append_printf (r.s, ",\"spec\":{\"color\":\"%s\",\"size\":%u},"
                          "\"status\":{\"phase\":\"%s\"}", color, size, phase);
  render_cells (&r, g_strdup_printf ("\"%s\",\"%s\",%u,\"%s\",", name, color, size, phase),
                g_strdup (""));
  return render_finish (&r);
}

static PhSimObj *
render_widget_crd (gint64  created,
                   guint64 rv)
{
  Render r;
  g_autofree char *created_text = format_time (created);

  render_begin (&r, PH_SIM_RES_CRDS, NULL, "widgets.demo.porthole.io",
                "5b0e8c52-6a4b-4f0e-9a53-2a1f3c3d7e01", rv, created);
  g_string_append (r.s, ",\"generation\":1");
  render_end_metadata (&r);
  g_string_append (r.s,
                   ",\"spec\":{\"group\":\"demo.porthole.io\","
                   "\"names\":{\"plural\":\"widgets\",\"singular\":\"widget\",\"kind\":\"Widget\","
                   "\"listKind\":\"WidgetList\",\"shortNames\":[\"wd\"],\"categories\":[\"all\"]},"
                   "\"scope\":\"Namespaced\",\"versions\":[{\"name\":\"v1\",\"served\":true,\"storage\":true,"
                   "\"schema\":{\"openAPIV3Schema\":{\"type\":\"object\",\"properties\":{"
                   "\"spec\":{\"type\":\"object\",\"properties\":{\"color\":{\"type\":\"string\"},"
                   "\"size\":{\"type\":\"integer\"}}},"
                   "\"status\":{\"type\":\"object\",\"properties\":{\"phase\":{\"type\":\"string\"}}}}}},"
                   "\"additionalPrinterColumns\":["
                   "{\"name\":\"Color\",\"type\":\"string\",\"description\":\"The color of the widget\",\"jsonPath\":\".spec.color\"},"
                   "{\"name\":\"Size\",\"type\":\"integer\",\"description\":\"The size of the widget\",\"jsonPath\":\".spec.size\"},"
                   "{\"name\":\"Phase\",\"type\":\"string\",\"description\":\"Where the widget is in its life\",\"jsonPath\":\".status.phase\"},"
                   "{\"name\":\"Age\",\"type\":\"date\",\"jsonPath\":\".metadata.creationTimestamp\"}]}],"
                   "\"conversion\":{\"strategy\":\"None\"}},"
                   "\"status\":{\"conditions\":[{\"type\":\"Established\",\"status\":\"True\","
                   "\"reason\":\"InitialNamesAccepted\",\"message\":\"the initial names have been accepted\"}],"
                   "\"acceptedNames\":{\"plural\":\"widgets\",\"singular\":\"widget\",\"kind\":\"Widget\","
                   "\"listKind\":\"WidgetList\",\"shortNames\":[\"wd\"],\"categories\":[\"all\"]},"
                   "\"storedVersions\":[\"v1\"]}");
  render_cells (&r, g_strdup_printf ("\"widgets.demo.porthole.io\",\"%s\",", created_text), g_strdup (""));
  return render_finish (&r);
}

/* Pods, ReplicaSets, Deployments. */

static guint
count_ready (Deployment *dep,
             ReplicaSet *rs)
{
  guint ready = 0;

  for (guint i = 0; i < dep->pods->len; i++)
    {
      Pod *pod = g_ptr_array_index (dep->pods, i);

      if (!pod->crashing && !pod->initializing && (rs == NULL || pod->rs == rs))
        ready++;
    }

  return ready;
}

static guint
count_pods (Deployment *dep,
            ReplicaSet *rs)
{
  guint n = 0;

  for (guint i = 0; i < dep->pods->len; i++)
    if (((Pod *) g_ptr_array_index (dep->pods, i))->rs == rs)
      n++;

  return n;
}

static PhSimObj *
render_pod (Pod     *pod,
            guint64  rv)
{
  Deployment *dep = pod->deployment;
  ReplicaSet *rs = pod->rs;
  Render r;
  g_autofree char *created = format_time (pod->created);
  g_autofree char *started = format_time (pod->started);
  g_autofree char *restarted = format_time (pod->last_restart);
  guint n_containers = dep->sidecar ? 2 : 1;
  guint n_ready = pod->initializing ? 0 : pod->crashing ? n_containers - 1 : n_containers;
  const char *ready = n_ready == n_containers ? "True" : "False";
  const char *phase = pod->initializing ? "Pending" : "Running";
  const char *status;
  const char *unready = NULL;
  const char *changed = pod->crashing ? restarted : started;
  g_autofree char *restarts = g_strdup_printf ("%u", pod->restarts);
  g_autofree char *unready_reason = NULL;
  const char *init_spec = dep->init ? INIT_CONTAINER_SPEC : "";
  const char *sidecar_spec = dep->sidecar ? SIDECAR_SPEC : "";

  /* What kubectl's STATUS column derives from the status. */
  if (pod->deleted != 0)
    status = "Terminating";
  else if (pod->initializing)
    status = "Init:0/1";
  else if (pod->crashing)
    status = "CrashLoopBackOff";
  else
    status = "Running";

  if (pod->initializing)
    unready = dep->sidecar ? "main log-shipper" : "main";
  else if (pod->crashing)
    unready = "main";
  if (unready != NULL)
    unready_reason = g_strdup_printf (",\"reason\":\"ContainersNotReady\",\"message\":\"containers with unready "
                                      "status: [%s]\"", unready);

  render_begin (&r, PH_SIM_RES_PODS, dep->namespace_, pod->name, pod->uid, rv, pod->created);
  g_string_append_printf (r.s, ",\"generateName\":\"%s-\"", rs->name);
  if (pod->deleted != 0)
    {
      g_autofree char *deleted = format_time (pod->deleted);

      g_string_append_printf (r.s, ",\"deletionTimestamp\":\"%s\",\"deletionGracePeriodSeconds\":%u",
                              deleted, GRACE_SECONDS);
    }
  render_labels (&r, "app", dep->name, "pod-template-hash", rs->hash,
                 "app.kubernetes.io/part-of", dep->namespace_, pod->extra_key, pod->extra_value, NULL);
  g_string_append_printf (r.s, ",\"annotations\":{\"kubectl.kubernetes.io/restartedAt\":\"%s\","
                          "\"prometheus.io/scrape\":\"true\",\"prometheus.io/port\":\"9090\"}",
                          created);
  render_owner (&r, "apps/v1", "ReplicaSet", rs->name, rs->uid);
  g_string_append_printf (r.s,
                          ",\"managedFields\":["
                          "{\"manager\":\"kube-controller-manager\",\"operation\":\"Update\",\"apiVersion\":\"v1\","
                          "\"time\":\"%s\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:metadata\":{"
                          "\"f:annotations\":{\".\":{},\"f:kubectl.kubernetes.io/restartedAt\":{},"
                          "\"f:prometheus.io/port\":{},\"f:prometheus.io/scrape\":{}},"
                          "\"f:generateName\":{},\"f:labels\":{\".\":{},\"f:app\":{},"
                          "\"f:app.kubernetes.io/part-of\":{},\"f:pod-template-hash\":{}},"
                          "\"f:ownerReferences\":{\".\":{},\"k:{\\\"uid\\\":\\\"%s\\\"}\":{}}},"
                          "\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"main\\\"}\":{\".\":{},"
                          "\"f:env\":{\".\":{},\"k:{\\\"name\\\":\\\"LOG_LEVEL\\\"}\":{\".\":{},\"f:name\":{},\"f:value\":{}}},"
                          "\"f:image\":{},\"f:imagePullPolicy\":{},\"f:livenessProbe\":{},\"f:name\":{},"
                          "\"f:ports\":{\".\":{},\"k:{\\\"containerPort\\\":%u,\\\"protocol\\\":\\\"TCP\\\"}\":{}},"
                          "\"f:readinessProbe\":{},\"f:resources\":{},\"f:terminationMessagePath\":{},"
                          "\"f:terminationMessagePolicy\":{},\"f:volumeMounts\":{}}},"
                          "\"f:dnsPolicy\":{},\"f:enableServiceLinks\":{},\"f:restartPolicy\":{},"
                          "\"f:schedulerName\":{},\"f:securityContext\":{},\"f:terminationGracePeriodSeconds\":{},"
                          "\"f:volumes\":{}}}},"
                          "{\"manager\":\"kubelet\",\"operation\":\"Update\",\"apiVersion\":\"v1\","
                          "\"time\":\"%s\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:status\":{"
                          "\"f:conditions\":{\"k:{\\\"type\\\":\\\"ContainersReady\\\"}\":{},"
                          "\"k:{\\\"type\\\":\\\"Initialized\\\"}\":{},\"k:{\\\"type\\\":\\\"PodReadyToStartContainers\\\"}\":{},"
                          "\"k:{\\\"type\\\":\\\"Ready\\\"}\":{}},\"f:containerStatuses\":{},\"f:hostIP\":{},"
                          "\"f:hostIPs\":{},\"f:phase\":{},\"f:podIP\":{},\"f:podIPs\":{},\"f:startTime\":{}}},"
                          "\"subresource\":\"status\"}]",
                          created, rs->uid, dep->port, pod->crashing ? restarted : started);
  render_end_metadata (&r);

  g_string_append_printf (r.s,
                          ",\"spec\":{\"volumes\":[{\"name\":\"config\",\"configMap\":{\"name\":\"%s-config\",\"defaultMode\":420}},"
                          "{\"name\":\"kube-api-access\",\"projected\":{\"sources\":[{\"serviceAccountToken\":"
                          "{\"expirationSeconds\":3607,\"path\":\"token\"}},{\"configMap\":{\"name\":\"kube-root-ca.crt\","
                          "\"items\":[{\"key\":\"ca.crt\",\"path\":\"ca.crt\"}]}},{\"downwardAPI\":{\"items\":[{\"path\":"
                          "\"namespace\",\"fieldRef\":{\"apiVersion\":\"v1\",\"fieldPath\":\"metadata.namespace\"}}]}}],"
                          "\"defaultMode\":420}}],"
                          "%s\"containers\":[{\"name\":\"main\",\"image\":\"%s:1.%u\","
                          "\"ports\":[{\"name\":\"http\",\"containerPort\":%u,\"protocol\":\"TCP\"}],"
                          "\"env\":[{\"name\":\"LOG_LEVEL\",\"value\":\"info\"},{\"name\":\"POD_NAME\",\"valueFrom\":"
                          "{\"fieldRef\":{\"apiVersion\":\"v1\",\"fieldPath\":\"metadata.name\"}}}],"
                          "\"resources\":{\"limits\":{\"cpu\":\"500m\",\"memory\":\"256Mi\"},"
                          "\"requests\":{\"cpu\":\"100m\",\"memory\":\"128Mi\"}},"
                          "\"volumeMounts\":[{\"name\":\"config\",\"mountPath\":\"/etc/app\"},{\"name\":\"kube-api-access\","
                          "\"readOnly\":true,\"mountPath\":\"/var/run/secrets/kubernetes.io/serviceaccount\"}],"
                          "\"livenessProbe\":{\"httpGet\":{\"path\":\"/healthz\",\"port\":%u,\"scheme\":\"HTTP\"},"
                          "\"initialDelaySeconds\":10,\"timeoutSeconds\":1,\"periodSeconds\":10,\"successThreshold\":1,"
                          "\"failureThreshold\":3},"
                          "\"readinessProbe\":{\"httpGet\":{\"path\":\"/ready\",\"port\":%u,\"scheme\":\"HTTP\"},"
                          "\"timeoutSeconds\":1,\"periodSeconds\":5,\"successThreshold\":1,\"failureThreshold\":3},"
                          "\"terminationMessagePath\":\"/dev/termination-log\",\"terminationMessagePolicy\":\"File\","
                          "\"imagePullPolicy\":\"IfNotPresent\"}%s],"
                          "\"restartPolicy\":\"Always\",\"terminationGracePeriodSeconds\":30,\"dnsPolicy\":\"ClusterFirst\","
                          "\"serviceAccountName\":\"default\",\"serviceAccount\":\"default\",\"nodeName\":\"%s\","
                          "\"securityContext\":{},\"schedulerName\":\"default-scheduler\","
                          "\"tolerations\":[{\"key\":\"node.kubernetes.io/not-ready\",\"operator\":\"Exists\","
                          "\"effect\":\"NoExecute\",\"tolerationSeconds\":300},{\"key\":\"node.kubernetes.io/unreachable\","
                          "\"operator\":\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":300}],"
                          "\"priority\":0,\"enableServiceLinks\":true,\"preemptionPolicy\":\"PreemptLowerPriority\"}",
                          dep->name, init_spec, dep->image, rs->image_version,
                          dep->port, dep->port, dep->port, sidecar_spec,
                          pod->node->name);

  g_string_append_printf (r.s,
                          ",\"status\":{\"phase\":\"%s\",\"conditions\":["
                          "{\"type\":\"PodReadyToStartContainers\",\"status\":\"True\",\"lastProbeTime\":null,\"lastTransitionTime\":\"%s\"},"
                          "{\"type\":\"Initialized\",\"status\":\"%s\",\"lastProbeTime\":null,\"lastTransitionTime\":\"%s\"%s},"
                          "{\"type\":\"Ready\",\"status\":\"%s\",\"lastProbeTime\":null,\"lastTransitionTime\":\"%s\"%s},"
                          "{\"type\":\"ContainersReady\",\"status\":\"%s\",\"lastProbeTime\":null,\"lastTransitionTime\":\"%s\"%s},"
                          "{\"type\":\"PodScheduled\",\"status\":\"True\",\"lastProbeTime\":null,\"lastTransitionTime\":\"%s\"}],"
                          "\"hostIP\":\"%s\",\"hostIPs\":[{\"ip\":\"%s\"}],\"podIP\":\"%s\",\"podIPs\":[{\"ip\":\"%s\"}],"
                          "\"startTime\":\"%s\"",
                          phase, started,
                          pod->initializing ? "False" : "True", started,
                          pod->initializing ? ",\"reason\":\"ContainersNotInitialized\",\"message\":"
                                              "\"containers with incomplete status: [init-config]\"" : "",
                          ready, changed, unready_reason ? unready_reason : "",
                          ready, changed, unready_reason ? unready_reason : "",
                          created,
                          pod->node->ip, pod->node->ip, pod->ip, pod->ip, started);

  if (dep->init && pod->initializing)
    g_string_append_printf (r.s,
                            ",\"initContainerStatuses\":[{\"name\":\"init-config\",\"state\":{\"running\":"
                            "{\"startedAt\":\"%s\"}},\"lastState\":{},\"ready\":false,\"restartCount\":0,"
                            "\"image\":\"docker.io/library/busybox:1.36\",\"imageID\":\"docker.io/library/busybox@sha256:%s\","
                            "\"containerID\":\"containerd://%s00\",\"started\":true}]",
                            started, rs->uid, pod->uid);
  else if (dep->init)
    g_string_append_printf (r.s,
                            ",\"initContainerStatuses\":[{\"name\":\"init-config\",\"state\":{\"terminated\":"
                            "{\"exitCode\":0,\"reason\":\"Completed\",\"startedAt\":\"%s\",\"finishedAt\":\"%s\","
                            "\"containerID\":\"containerd://%s00\"}},\"lastState\":{},\"ready\":true,\"restartCount\":0,"
                            "\"image\":\"docker.io/library/busybox:1.36\",\"imageID\":\"docker.io/library/busybox@sha256:%s\","
                            "\"containerID\":\"containerd://%s00\",\"started\":false}]",
                            started, started, pod->uid, rs->uid, pod->uid);

  g_string_append (r.s, ",\"containerStatuses\":[{\"name\":\"main\",");
  if (pod->initializing)
    g_string_append (r.s, "\"state\":{\"waiting\":{\"reason\":\"PodInitializing\"}},\"lastState\":{},"
                          "\"ready\":false,\"started\":false,");
  else if (pod->crashing)
    g_string_append_printf (r.s,
                            "\"state\":{\"waiting\":{\"reason\":\"CrashLoopBackOff\",\"message\":\"back-off 40s restarting failed "
                            "container=main pod=%s_%s(%s)\"}},\"lastState\":{\"terminated\":{\"exitCode\":1,"
                            "\"reason\":\"Error\",\"startedAt\":\"%s\",\"finishedAt\":\"%s\",\"containerID\":"
                            "\"containerd://%.8s%u\"}},\"ready\":false,\"started\":false,",
                            pod->name, dep->namespace_, pod->uid, started, restarted, pod->uid, pod->restarts);
  else
    g_string_append_printf (r.s,
                            "\"state\":{\"running\":{\"startedAt\":\"%s\"}},\"lastState\":{},"
                            "\"ready\":true,\"started\":true,",
                            pod->restarts > 0 ? restarted : started);
  g_string_append_printf (r.s,
                          "\"restartCount\":%u,\"image\":\"docker.io/library/%s:1.%u\","
                          "\"imageID\":\"docker.io/library/%s@sha256:%s%s\","
                          "\"containerID\":\"containerd://%s%s\"}",
                          pod->restarts, dep->image, rs->image_version, dep->image,
                          rs->uid, rs->uid, pod->uid, rs->hash);
  if (dep->sidecar)
    g_string_append_printf (r.s,
                            ",{\"name\":\"log-shipper\",\"state\":%s%s%s,\"lastState\":{},\"ready\":%s,"
                            "\"restartCount\":0,\"image\":\"docker.io/fluent/fluent-bit:2.1\","
                            "\"imageID\":\"docker.io/fluent/fluent-bit@sha256:%s\","
                            "\"containerID\":\"containerd://%s01\",\"started\":%s}",
                            pod->initializing ? "{\"waiting\":{\"reason\":\"PodInitializing\"}}" : "{\"running\":{\"startedAt\":\"",
                            pod->initializing ? "" : started,
                            pod->initializing ? "" : "\"}}",
                            pod->initializing ? "false" : "true",
                            rs->uid, pod->uid,
                            pod->initializing ? "false" : "true");
  g_string_append (r.s, "],\"qosClass\":\"Burstable\"}");

  render_fields (&r,
                 "status.phase", phase,
                 "spec.nodeName", pod->node->name,
                 "spec.restartPolicy", "Always",
                 "spec.schedulerName", "default-scheduler",
                 "spec.serviceAccountName", "default",
                 "status.podIP", pod->ip,
                 "status.nominatedNodeName", "",
                 NULL);
  render_cells (&r, g_strdup_printf ("\"%s\",\"%u/%u\",\"%s\",\"%s\",", pod->name,
                                     n_ready, n_containers, status, restarts),
                g_strdup_printf (",\"%s\",\"%s\",\"<none>\",\"<none>\"", pod->ip, pod->node->name));
  return render_finish (&r);
}

static PhSimObj *
render_replicaset (ReplicaSet *rs,
                   guint64     rv)
{
  Deployment *dep = rs->deployment;
  Render r;
  g_autofree char *revision = g_strdup_printf ("%u", rs->revision);
  g_autofree char *created = format_time (rs->created);
  guint current = count_pods (dep, rs);
  guint ready = count_ready (dep, rs);
  g_autofree char *current_text = g_strdup_printf ("%u", current);

  render_begin (&r, PH_SIM_RES_REPLICASETS, dep->namespace_, rs->name, rs->uid, rv, rs->created);
  g_string_append_printf (r.s, ",\"generation\":%u", rs->revision);
  render_labels (&r, "app", dep->name, "pod-template-hash", rs->hash, NULL);
  g_string_append_printf (r.s, ",\"annotations\":{\"deployment.kubernetes.io/desired-replicas\":\"%u\","
                          "\"deployment.kubernetes.io/max-replicas\":\"%u\","
                          "\"deployment.kubernetes.io/revision\":\"%s\"}",
                          dep->replicas, dep->replicas + 1, revision);
  render_owner (&r, "apps/v1", "Deployment", dep->name, dep->uid);
  g_string_append_printf (r.s,
                          ",\"managedFields\":[{\"manager\":\"kube-controller-manager\",\"operation\":\"Update\","
                          "\"apiVersion\":\"apps/v1\",\"time\":\"%s\",\"fieldsType\":\"FieldsV1\","
                          "\"fieldsV1\":{\"f:status\":{\"f:availableReplicas\":{},\"f:fullyLabeledReplicas\":{},"
                          "\"f:observedGeneration\":{},\"f:readyReplicas\":{},\"f:replicas\":{}}},"
                          "\"subresource\":\"status\"}]", created);
  render_end_metadata (&r);
  g_string_append_printf (r.s,
                          ",\"spec\":{\"replicas\":%u,\"selector\":{\"matchLabels\":{\"app\":\"%s\","
                          "\"pod-template-hash\":\"%s\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"%s\","
                          "\"pod-template-hash\":\"%s\"}},\"spec\":{\"containers\":[{\"name\":\"main\","
                          "\"image\":\"%s:1.%u\",\"ports\":[{\"containerPort\":%u,\"protocol\":\"TCP\"}]}]}}},"
                          "\"status\":{\"replicas\":%u,\"fullyLabeledReplicas\":%u,\"readyReplicas\":%u,"
                          "\"availableReplicas\":%u,\"observedGeneration\":%u}",
                          rs->replicas, dep->name, rs->hash, dep->name, rs->hash,
                          dep->image, rs->image_version, dep->port,
                          current, current, ready, ready, rs->revision);
  render_fields (&r, "status.replicas", current_text, NULL);
  render_cells (&r, g_strdup_printf ("\"%s\",%u,%u,%u,", rs->name, rs->replicas, current, ready),
                g_strdup_printf (",\"main\",\"%s:1.%u\",\"app=%s,pod-template-hash=%s\"",
                                 dep->image, rs->image_version, dep->name, rs->hash));
  return render_finish (&r);
}

static PhSimObj *
render_deployment (Deployment *dep,
                   guint64     rv)
{
  Render r;
  g_autofree char *created = format_time (dep->created);
  guint ready = count_ready (dep, NULL);
  guint updated = count_pods (dep, dep->current);
  guint total = dep->pods->len;

  render_begin (&r, PH_SIM_RES_DEPLOYMENTS, dep->namespace_, dep->name, dep->uid, rv, dep->created);
  g_string_append_printf (r.s, ",\"generation\":%u", dep->generation);
  render_labels (&r, "app", dep->name, "app.kubernetes.io/part-of", dep->namespace_, NULL);
  g_string_append_printf (r.s, ",\"annotations\":{\"deployment.kubernetes.io/revision\":\"%u\"}",
                          dep->current->revision);
  g_string_append_printf (r.s,
                          ",\"managedFields\":[{\"manager\":\"kubectl-client-side-apply\",\"operation\":\"Update\","
                          "\"apiVersion\":\"apps/v1\",\"time\":\"%s\",\"fieldsType\":\"FieldsV1\","
                          "\"fieldsV1\":{\"f:spec\":{\"f:replicas\":{},\"f:selector\":{},\"f:template\":{}}}},"
                          "{\"manager\":\"kube-controller-manager\",\"operation\":\"Update\",\"apiVersion\":\"apps/v1\","
                          "\"time\":\"%s\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:status\":{"
                          "\"f:availableReplicas\":{},\"f:conditions\":{},\"f:observedGeneration\":{},"
                          "\"f:readyReplicas\":{},\"f:replicas\":{},\"f:updatedReplicas\":{}}},"
                          "\"subresource\":\"status\"}]", created, created);
  render_end_metadata (&r);
  g_string_append_printf (r.s,
                          ",\"spec\":{\"replicas\":%u,\"selector\":{\"matchLabels\":{\"app\":\"%s\"}},"
                          "\"template\":{\"metadata\":{\"labels\":{\"app\":\"%s\"}},\"spec\":{\"containers\":"
                          "[{\"name\":\"main\",\"image\":\"%s:1.%u\",\"ports\":[{\"containerPort\":%u,"
                          "\"protocol\":\"TCP\"}]}]}},\"strategy\":{\"type\":\"RollingUpdate\","
                          "\"rollingUpdate\":{\"maxUnavailable\":\"25%%\",\"maxSurge\":\"25%%\"}},"
                          "\"revisionHistoryLimit\":10,\"progressDeadlineSeconds\":600},"
                          "\"status\":{\"observedGeneration\":%u,\"replicas\":%u,\"updatedReplicas\":%u,"
                          "\"readyReplicas\":%u,\"availableReplicas\":%u,%s\"conditions\":["
                          "{\"type\":\"Available\",\"status\":\"%s\",\"lastUpdateTime\":\"%s\","
                          "\"lastTransitionTime\":\"%s\",\"reason\":\"%s\",\"message\":\"%s\"},"
                          "{\"type\":\"Progressing\",\"status\":\"True\",\"lastUpdateTime\":\"%s\","
                          "\"lastTransitionTime\":\"%s\",\"reason\":\"NewReplicaSetAvailable\","
                          "\"message\":\"ReplicaSet \\\"%s\\\" has successfully progressed.\"}]}",
                          dep->replicas, dep->name, dep->name, dep->image, dep->current->image_version,
                          dep->port, dep->generation, total, updated, ready, ready,
                          ready < total ? "\"unavailableReplicas\":1," : "",
                          ready == total ? "True" : "False", created, created,
                          ready == total ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                          ready == total ? "Deployment has minimum availability." : "Deployment does not have minimum availability.",
                          created, created, dep->current->name);
  render_cells (&r, g_strdup_printf ("\"%s\",\"%u/%u\",%u,%u,", dep->name, ready, dep->replicas, updated, ready),
                g_strdup_printf (",\"main\",\"%s:1.%u\",\"app=%s\"", dep->image,
                                 dep->current->image_version, dep->name));
  return render_finish (&r);
}

/* Events. */

static PhSimObj *
render_event (PhSimWorld *self,
              Pod        *pod,
              const char *name,
              const char *type,
              const char *reason,
              const char *message,
              gint64      when,
              guint64     rv)
{
  Render r;
  g_autofree char *uid = random_uid (self);
  g_autofree char *when_text = format_time (when);
  g_autofree char *object = g_strdup_printf ("pod/%s", pod->name);
  const char *namespace_ = pod->deployment->namespace_;

  render_begin (&r, PH_SIM_RES_EVENTS, namespace_, name, uid, rv, when);
  render_end_metadata (&r);
  g_string_append_printf (r.s,
                          ",\"involvedObject\":{\"kind\":\"Pod\",\"namespace\":\"%s\",\"name\":\"%s\","
                          "\"uid\":\"%s\",\"apiVersion\":\"v1\",\"fieldPath\":\"spec.containers{main}\"},"
                          "\"reason\":\"%s\",\"message\":",
                          namespace_, pod->name, pod->uid, reason);
  append_json_string (r.s, message);
  g_string_append_printf (r.s,
                          ",\"source\":{\"component\":\"kubelet\",\"host\":\"%s\"},"
                          "\"firstTimestamp\":\"%s\",\"lastTimestamp\":\"%s\",\"count\":1,"
                          "\"type\":\"%s\",\"eventTime\":null,\"reportingComponent\":\"kubelet\","
                          "\"reportingInstance\":\"%s\"",
                          pod->node->name, when_text, when_text, type, pod->node->name);
  render_fields (&r,
                 "involvedObject.kind", "Pod",
                 "involvedObject.namespace", namespace_,
                 "involvedObject.name", pod->name,
                 "involvedObject.uid", pod->uid,
                 "involvedObject.apiVersion", "v1",
                 "involvedObject.resourceVersion", "",
                 "involvedObject.fieldPath", "spec.containers{main}",
                 "reason", reason,
                 "reportingComponent", "kubelet",
                 "source", "kubelet",
                 "type", type,
                 NULL);
  {
    GString *after = g_string_new (NULL);

    g_string_append_printf (after, ",\"%s\",\"%s\",\"%s\",", type, reason, object);
    append_json_string (after, message);
    render_cells (&r, g_strdup (""), g_string_free (after, FALSE));
  }
  return render_finish (&r);
}

static void
event_ref_free (gpointer data)
{
  EventRef *ref = data;

  g_free (ref->key);
  g_free (ref->namespace_);
  g_free (ref->name);
  g_free (ref);
}

static void
record_event (PhSimWorld *self,
              Pod        *pod,
              const char *type,
              const char *reason,
              const char *message,
              gboolean    initial)
{
  g_autofree char *suffix = NULL;
  g_autofree char *name = NULL;
  EventRef *ref;
  PhSimObj *obj;
  gint64 when = initial ? pod->started + g_rand_int_range (self->rand, 0, 60) : now_seconds ();

  suffix = g_strdup_printf ("%08x%08x", g_rand_int (self->rand), g_rand_int (self->rand));
  name = g_strdup_printf ("%s.%s", pod->name, suffix);
  obj = render_event (self, pod, name, type, reason, message, when, next_rv (self));

  ref = g_new0 (EventRef, 1);
  ref->key = g_strdup (obj->key);
  ref->namespace_ = g_strdup (obj->namespace_);
  ref->name = g_strdup (obj->name);
  g_queue_push_tail (&self->events, ref);

  if (initial)
    populate (self, obj);
  else
    commit (self, PH_SIM_EVENT_ADDED, obj);

  /* Events expire, as they do after an hour in a real cluster. */
  while (self->events.length > self->max_events)
    {
      EventRef *oldest = g_queue_pop_head (&self->events);
      PhSimObj *current = ph_sim_store_lookup (self->store, PH_SIM_RES_EVENTS, oldest->key);

      if (current != NULL)
        {
          /* The DELETED event carries the last state at a new version. */
          gsize length;
          const char *json = ph_sim_obj_get_json (current, &length);
          g_autofree char *old_rv = g_strdup_printf ("\"resourceVersion\":\"%" G_GUINT64_FORMAT "\"", current->rv);
          g_autofree char *new_rv = g_strdup_printf ("\"resourceVersion\":\"%" G_GUINT64_FORMAT "\"", next_rv (self));
          g_autofree char *text = g_strndup (json, length);
          char *at = strstr (text, old_rv);
          PhSimObj *gone = g_new0 (PhSimObj, 1);
          GString *s = g_string_new (NULL);

          g_assert (at != NULL);
          g_string_append_len (s, text, at - text);
          g_string_append (s, new_rv);
          g_string_append (s, at + strlen (old_rv));

          gone->ref_count = 1;
          gone->res = current->res;
          gone->namespace_ = g_strdup (current->namespace_);
          gone->name = g_strdup (current->name);
          gone->key = g_strdup (current->key);
          gone->uid = g_strdup (current->uid);
          gone->rv = next_rv (self);
          gone->created = current->created;
          gone->meta_offset = current->meta_offset;
          gone->meta_length = current->meta_length + strlen (new_rv) - strlen (old_rv);
          gone->cells_before_age = g_strdup (current->cells_before_age);
          gone->cells_after_age = g_strdup (current->cells_after_age);
          gone->labels = g_strdupv (current->labels);
          gone->fields = g_strdupv (current->fields);
          gone->json = g_string_free_to_bytes (s);
          commit (self, PH_SIM_EVENT_DELETED, gone);
        }
      event_ref_free (oldest);
    }
}

/* Building and changing the model. */

static const char *
pick (PhSimWorld        *self,
      const char *const *names,
      guint              n_names)
{
  return names[g_rand_int_range (self->rand, 0, n_names)];
}

static Node *
pick_node (PhSimWorld *self)
{
  return g_ptr_array_index (self->nodes, g_rand_int_range (self->rand, 0, self->nodes->len));
}

static char *
next_pod_ip (PhSimWorld *self)
{
  guint n = self->ip_counter++;

  return g_strdup_printf ("10.%u.%u.%u", 244 + (n >> 16) % 8, (n >> 8) & 0xff, n & 0xff);
}

static ReplicaSet *
replicaset_new (PhSimWorld *self,
                Deployment *dep,
                guint       revision,
                guint       image_version,
                gint64      created)
{
  ReplicaSet *rs = g_new0 (ReplicaSet, 1);

  rs->deployment = dep;
  rs->hash = random_suffix (self, 10);
  rs->name = g_strdup_printf ("%s-%s", dep->name, rs->hash);
  rs->uid = random_uid (self);
  rs->created = created;
  rs->revision = revision;
  rs->image_version = image_version;
  g_ptr_array_add (dep->replicasets, rs);

  return rs;
}

static void
replicaset_free (gpointer data)
{
  ReplicaSet *rs = data;

  g_free (rs->name);
  g_free (rs->uid);
  g_free (rs->hash);
  g_free (rs);
}

static Pod *
pod_new (PhSimWorld *self,
         ReplicaSet *rs,
         gint64      created)
{
  Deployment *dep = rs->deployment;
  Pod *pod = g_new0 (Pod, 1);
  g_autofree char *suffix = random_suffix (self, 5);

  pod->deployment = dep;
  pod->rs = rs;
  pod->name = g_strdup_printf ("%s-%s", rs->name, suffix);
  pod->uid = random_uid (self);
  pod->ip = next_pod_ip (self);
  pod->node = pick_node (self);
  pod->created = created;
  pod->started = created + g_rand_int_range (self->rand, 1, 20);
  pod->last_restart = pod->started;

  pod->index = self->pods->len;
  g_ptr_array_add (self->pods, pod);
  g_ptr_array_add (dep->pods, pod);
  g_hash_table_insert (self->pods_by_key,
                       g_strconcat (dep->namespace_, "/", pod->name, NULL), pod);

  return pod;
}

static void
pod_free (gpointer data)
{
  Pod *pod = data;

  g_free (pod->name);
  g_free (pod->uid);
  g_free (pod->ip);
  g_free (pod->extra_key);
  g_free (pod->extra_value);
  g_free (pod);
}

/* Takes @pod out of its deployment and of the random picks: it no longer
 * counts as a replica.  A terminating pod is already out. */
static void
pod_detach (PhSimWorld *self,
            Pod        *pod)
{
  if (pod->deleted != 0)
    return;

  g_ptr_array_remove (pod->deployment->pods, pod);
  if (pod->initializing)
    g_queue_remove (&self->initializing, pod);

  /* Swap-remove keeps random picks O(1). */
  g_ptr_array_steal_index_fast (self->pods, pod->index);
  if (pod->index < self->pods->len)
    ((Pod *) g_ptr_array_index (self->pods, pod->index))->index = pod->index;
}

/* Removes @pod from the model (not from the store) and frees it. */
static void
pod_remove (PhSimWorld *self,
            Pod        *pod)
{
  g_autofree char *key = g_strconcat (pod->deployment->namespace_, "/", pod->name, NULL);

  pod_detach (self, pod);
  if (pod->deleted != 0)
    g_queue_remove (&self->terminating, pod);
  g_hash_table_remove (self->pods_by_key, key);
  pod_free (pod);
}

static void
deployment_free (gpointer data)
{
  Deployment *dep = data;

  g_free (dep->name);
  g_free (dep->uid);
  g_ptr_array_unref (dep->replicasets);
  g_ptr_array_unref (dep->pods);
  g_free (dep);
}

static void
namespace_free (gpointer data)
{
  Namespace *ns = data;

  g_free (ns->name);
  g_free (ns->uid);
  g_free (ns);
}

static void
node_free (gpointer data)
{
  Node *node = data;

  g_free (node->name);
  g_free (node->uid);
  g_free (node->ip);
  g_free (node);
}

static void
populate_namespace (PhSimWorld *self,
                    Namespace  *ns,
                    guint       n_pods)
{
  g_autoptr(GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint remaining = n_pods;
  guint n_widgets;

  populate (self, render_configmap (self, ns->name, "kube-root-ca.crt", ns->created, next_rv (self)));

  while (remaining > 0)
    {
      Deployment *dep = g_new0 (Deployment, 1);
      const char *app = pick (self, app_names, G_N_ELEMENTS (app_names));
      g_autofree char *config_name = NULL;
      guint old_revisions;
      guint replicas;

      dep->namespace_ = ns->name;
      dep->name = g_strdup (app);
      for (guint n = 2; g_hash_table_contains (used, dep->name); n++)
        {
          g_free (dep->name);
          dep->name = g_strdup_printf ("%s-%u", app, n);
        }
      g_hash_table_add (used, g_strdup (dep->name));

      dep->uid = random_uid (self);
      /* From the uid rather than new draws, so a seed still yields the
       * same cluster: about a third of the workloads run a log-shipping
       * sidecar, a third an init container. */
      dep->sidecar = g_str_hash (dep->uid) % 3 == 0;
      dep->init = g_str_hash (dep->uid) / 3 % 3 == 0;
      dep->image = pick (self, images, G_N_ELEMENTS (images));
      dep->created = ns->created + g_rand_int_range (self->rand, 60, 3600);
      replicas = g_rand_int_range (self->rand, 1, 7);
      dep->replicas = MIN (remaining, replicas);
      dep->base_replicas = dep->replicas;
      dep->port = 8000 + g_rand_int_range (self->rand, 0, 100);
      dep->replicasets = g_ptr_array_new_with_free_func (replicaset_free);
      dep->pods = g_ptr_array_new ();
      remaining -= dep->replicas;
      g_ptr_array_add (self->deployments, dep);

      /* Earlier revisions, scaled to zero, as a real cluster keeps them. */
      old_revisions = g_rand_int_range (self->rand, 0, 3);
      for (guint i = 0; i < old_revisions; i++)
        replicaset_new (self, dep, i + 1, i + 1, dep->created + i * 3600);
      dep->current = replicaset_new (self, dep, old_revisions + 1, old_revisions + 1,
                                     dep->created + old_revisions * 3600);
      dep->current->replicas = dep->replicas;
      dep->generation = old_revisions + 1;

      for (guint i = 0; i < dep->replicas; i++)
        {
          Pod *pod = pod_new (self, dep->current,
                              dep->current->created + g_rand_int_range (self->rand, 0, 600));
          /* Some pods have a history of restarts already. */
          if (g_rand_int_range (self->rand, 0, 10) == 0)
            {
              pod->restarts = g_rand_int_range (self->rand, 1, 30);
              pod->last_restart = pod->started + g_rand_int_range (self->rand, 60, 86400);
            }
        }

      for (guint i = 0; i < dep->pods->len; i++)
        populate (self, render_pod (g_ptr_array_index (dep->pods, i), next_rv (self)));
      for (guint i = 0; i < dep->replicasets->len; i++)
        populate (self, render_replicaset (g_ptr_array_index (dep->replicasets, i), next_rv (self)));
      populate (self, render_deployment (dep, next_rv (self)));
      populate (self, render_service (self, dep, next_rv (self)));
      config_name = g_strdup_printf ("%s-config", dep->name);
      populate (self, render_configmap (self, ns->name, config_name, dep->created, next_rv (self)));

      for (guint i = 0; i < dep->pods->len && self->events.length < self->max_events / 2; i++)
        {
          guint k = g_rand_int_range (self->rand, 0, G_N_ELEMENTS (event_reasons));

          if (g_rand_int_range (self->rand, 0, 4) != 0)
            continue;
          record_event (self, g_ptr_array_index (dep->pods, i),
                        event_reasons[k][0], event_reasons[k][1], event_reasons[k][2], TRUE);
        }
    }

  n_widgets = g_rand_int_range (self->rand, 1, 4);
  for (guint i = 0; i < n_widgets; i++)
    {
      g_autofree char *suffix = random_suffix (self, 5);
      g_autofree char *name = g_strdup_printf ("widget-%s", suffix);
      const char *color = pick (self, widget_colors, G_N_ELEMENTS (widget_colors));

      populate (self, render_widget (self, ns->name, name, color,
                                     g_rand_int_range (self->rand, 1, 100),
                                     ns->created + g_rand_int_range (self->rand, 60, 86400),
                                     next_rv (self)));
    }
}

/* The kinds beyond Deployments: StatefulSets, DaemonSets, Jobs, CronJobs,
 * Ingresses, EndpointSlices, Secrets, volumes and storage classes.  None
 * of them owns pods: every pod comes from a Deployment, so the numbers of
 * pods (and of the events about them) the options ask for stay exact. */

static const CronSpec cron_specs[] = {
  { "nightly-report", "python:3.12", "0 2 * * *", 86400 },
  { "cleanup", "busybox:1.36", "*/15 * * * *", 900 },
  { "backup", "postgres:16.3", "30 3 * * *", 86400 },
  { "cache-warmer", "curlimages/curl:8.8.0", "*/5 * * * *", 300 },
};

static const char *const stateful_apps[][2] = {
  { "postgres", "postgres:16.3" }, { "redis", "redis:7.2" }, { "kafka", "bitnami/kafka:3.7" },
  { "elasticsearch", "elasticsearch:8.14.1" }, { "zookeeper", "zookeeper:3.9" },
};

static const char *const daemon_apps[][2] = {
  { "node-exporter", "prom/node-exporter:v1.8.1" }, { "fluent-bit", "fluent/fluent-bit:3.0" },
  { "csi-node", "registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.10.1" },
};

/* Name, provisioner, volume binding mode and disk type of the two
 * storage classes; the first is the default. */
static const char *const storage_classes[][4] = {
  { "standard", "pd.csi.storage.gke.io", "WaitForFirstConsumer", "pd-balanced" },
  { "fast-ssd", "pd.csi.storage.gke.io", "Immediate", "pd-ssd" },
};

static void
job_free (gpointer data)
{
  Job *job = data;

  g_free (job->name);
  g_free (job->uid);
  g_free (job);
}

static void
cronjob_free (gpointer data)
{
  CronJob *cj = data;

  g_queue_clear_full (&cj->jobs, job_free);
  g_free (cj->name);
  g_free (cj->uid);
  g_free (cj);
}

static void
volume_free (gpointer data)
{
  Volume *volume = data;

  g_free (volume->claim);
  g_free (volume->claim_uid);
  g_free (volume->app);
  g_free (volume);
}

static const char *
short_access_mode (const char *mode)
{
  if (g_str_equal (mode, "ReadWriteMany"))
    return "RWX";
  if (g_str_equal (mode, "ReadOnlyMany"))
    return "ROX";
  return "RWO";
}

static char *
random_password (PhSimWorld *self,
                 guint       length)
{
  static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  char *s = g_malloc (length + 1);

  for (guint i = 0; i < length; i++)
    s[i] = alphabet[g_rand_int_range (self->rand, 0, sizeof alphabet - 1)];
  s[length] = '\0';

  return s;
}

/* Pod template text shared by the workload kinds. */
static void
append_template (GString    *s,
                 const char *label_key,
                 const char *label_value,
                 const char *container,
                 const char *image,
                 const char *restart_policy,
                 const char *extra_spec)
{
  g_string_append_printf (s,
                          "\"template\":{\"metadata\":{\"labels\":{\"%s\":\"%s\"}},\"spec\":{"
                          "\"containers\":[{\"name\":\"%s\",\"image\":\"%s\","
                          "\"resources\":{\"requests\":{\"cpu\":\"50m\",\"memory\":\"64Mi\"}},"
                          "\"terminationMessagePath\":\"/dev/termination-log\","
                          "\"terminationMessagePolicy\":\"File\",\"imagePullPolicy\":\"IfNotPresent\"}],"
                          "%s\"restartPolicy\":\"%s\",\"terminationGracePeriodSeconds\":30,"
                          "\"dnsPolicy\":\"ClusterFirst\",\"securityContext\":{},"
                          "\"schedulerName\":\"default-scheduler\"}}",
                          label_key, label_value, container, image, extra_spec, restart_policy);
}

static PhSimObj *
render_statefulset (PhSimWorld *self,
                    const char *namespace_,
                    const char *name,
                    const char *image,
                    guint       replicas,
                    gint64      created,
                    guint64     rv)
{
  Render r;
  g_autofree char *uid = random_uid (self);
  g_autofree char *revision = random_suffix (self, 10);

  render_begin (&r, PH_SIM_RES_STATEFULSETS, namespace_, name, uid, rv, created);
  g_string_append (r.s, ",\"generation\":1");
  render_labels (&r, "app", name, "app.kubernetes.io/part-of", namespace_, NULL);
  render_end_metadata (&r);
  g_string_append_printf (r.s,
                          ",\"spec\":{\"replicas\":%u,\"selector\":{\"matchLabels\":{\"app\":\"%s\"}},",
                          replicas, name);
  append_template (r.s, "app", name, name, image, "Always", "");
  g_string_append_printf (r.s,
                          ",\"volumeClaimTemplates\":[{\"apiVersion\":\"v1\",\"kind\":\"PersistentVolumeClaim\","
                          "\"metadata\":{\"name\":\"data\"},\"spec\":{\"accessModes\":[\"ReadWriteOnce\"],"
                          "\"storageClassName\":\"standard\",\"resources\":{\"requests\":{\"storage\":\"10Gi\"}},"
                          "\"volumeMode\":\"Filesystem\"},\"status\":{\"phase\":\"Pending\"}}],"
                          "\"serviceName\":\"%s\",\"podManagementPolicy\":\"OrderedReady\","
                          "\"updateStrategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"partition\":0}},"
                          "\"revisionHistoryLimit\":10,\"persistentVolumeClaimRetentionPolicy\":"
                          "{\"whenDeleted\":\"Retain\",\"whenScaled\":\"Retain\"}},"
                          "\"status\":{\"observedGeneration\":1,\"replicas\":%u,\"readyReplicas\":%u,"
                          "\"currentReplicas\":%u,\"updatedReplicas\":%u,\"currentRevision\":\"%s-%s\","
                          "\"updateRevision\":\"%s-%s\",\"collisionCount\":0,\"availableReplicas\":%u}",
                          name, replicas, replicas, replicas, replicas, name, revision, name, revision,
                          replicas);
  render_cells (&r, g_strdup_printf ("\"%s\",\"%u/%u\",", name, replicas, replicas),
                g_strdup_printf (",\"%s\",\"%s\"", name, image));
  return render_finish (&r);
}

static PhSimObj *
render_daemonset (PhSimWorld *self,
                  const char *namespace_,
                  const char *name,
                  const char *image,
                  guint       nodes,
                  gint64      created,
                  guint64     rv)
{
  Render r;
  g_autofree char *uid = random_uid (self);

  render_begin (&r, PH_SIM_RES_DAEMONSETS, namespace_, name, uid, rv, created);
  g_string_append (r.s, ",\"generation\":1");
  render_labels (&r, "k8s-app", name, NULL);
  g_string_append (r.s, ",\"annotations\":{\"deprecated.daemonset.template.generation\":\"1\"}");
  render_end_metadata (&r);
  g_string_append_printf (r.s, ",\"spec\":{\"selector\":{\"matchLabels\":{\"k8s-app\":\"%s\"}},", name);
  append_template (r.s, "k8s-app", name, name, image, "Always",
                   "\"nodeSelector\":{\"kubernetes.io/os\":\"linux\"},\"hostNetwork\":true,"
                   "\"tolerations\":[{\"operator\":\"Exists\"}],");
  g_string_append_printf (r.s,
                          ",\"updateStrategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":"
                          "{\"maxUnavailable\":1,\"maxSurge\":0}},\"revisionHistoryLimit\":10},"
                          "\"status\":{\"currentNumberScheduled\":%u,\"numberMisscheduled\":0,"
                          "\"desiredNumberScheduled\":%u,\"numberReady\":%u,\"observedGeneration\":1,"
                          "\"updatedNumberScheduled\":%u,\"numberAvailable\":%u}",
                          nodes, nodes, nodes, nodes, nodes);
  render_cells (&r, g_strdup_printf ("\"%s\",%u,%u,%u,%u,%u,\"kubernetes.io/os=linux\",",
                                     name, nodes, nodes, nodes, nodes, nodes),
                g_strdup_printf (",\"%s\",\"%s\",\"k8s-app=%s\"", name, image, name));
  return render_finish (&r);
}

static PhSimObj *
render_job (Job     *job,
            guint64  rv)
{
  Render r;
  g_autofree char *started = format_time (job->started);
  g_autofree char *completed = format_time (job->completed);
  /* A running Job's duration grows: the server computes it per request. */
  g_autofree char *duration = job->completed != 0 ? ph_sim_format_age (job->completed - job->started)
                                                  : g_strdup ("@since");
  gboolean done = job->completed != 0;

  render_begin (&r, PH_SIM_RES_JOBS, job->namespace_, job->name, job->uid, rv, job->started);
  g_string_append (r.s, ",\"generation\":1");
  render_labels (&r,
                 "batch.kubernetes.io/controller-uid", job->uid,
                 "batch.kubernetes.io/job-name", job->name,
                 "controller-uid", job->uid,
                 "job-name", job->name,
                 NULL);
  g_string_append (r.s, ",\"annotations\":{\"batch.kubernetes.io/job-tracking\":\"\"}");
  if (job->cronjob != NULL)
    render_owner (&r, "batch/v1", "CronJob", job->cronjob->name, job->cronjob->uid);
  render_end_metadata (&r);
  g_string_append_printf (r.s,
                          ",\"spec\":{\"parallelism\":1,\"completions\":1,\"backoffLimit\":6,"
                          "\"selector\":{\"matchLabels\":{\"batch.kubernetes.io/controller-uid\":\"%s\"}},"
                          "\"manualSelector\":false,",
                          job->uid);
  append_template (r.s, "batch.kubernetes.io/job-name", job->name, job->container, job->image,
                   "OnFailure", "");
  g_string_append (r.s, ",\"completionMode\":\"NonIndexed\",\"suspend\":false,"
                   "\"podReplacementPolicy\":\"TerminatingOrFailed\"},\"status\":{");
  if (done)
    g_string_append_printf (r.s,
                            "\"conditions\":[{\"type\":\"Complete\",\"status\":\"True\","
                            "\"lastProbeTime\":\"%s\",\"lastTransitionTime\":\"%s\"}],"
                            "\"startTime\":\"%s\",\"completionTime\":\"%s\",\"succeeded\":1,",
                            completed, completed, started, completed);
  else
    g_string_append_printf (r.s, "\"startTime\":\"%s\",\"active\":1,", started);
  g_string_append_printf (r.s, "\"terminating\":0,\"ready\":%u,\"uncountedTerminatedPods\":{}}",
                          done ? 0 : 1);
  render_fields (&r, "status.successful", done ? "1" : "0", NULL);
  if (!done)
    r.obj->since = job->started;
  render_cells (&r, g_strdup_printf ("\"%s\",\"%u/1\",\"%s\",", job->name, done ? 1 : 0, duration),
                g_strdup_printf (",\"%s\",\"%s\",\"batch.kubernetes.io/controller-uid=%s\"",
                                 job->container, job->image, job->uid));
  return render_finish (&r);
}

static PhSimObj *
render_cronjob (CronJob *cj,
                guint64  rv)
{
  Render r;
  g_autofree char *last_schedule = format_time (cj->last_schedule);
  g_autofree char *last_success = format_time (cj->last_success);
  guint active = 0;

  render_begin (&r, PH_SIM_RES_CRONJOBS, cj->namespace_, cj->name, cj->uid, rv, cj->created);
  g_string_append (r.s, ",\"generation\":1");
  render_labels (&r, "app.kubernetes.io/part-of", cj->namespace_, NULL);
  render_end_metadata (&r);
  g_string_append_printf (r.s,
                          ",\"spec\":{\"schedule\":\"%s\",\"concurrencyPolicy\":\"Forbid\",\"suspend\":false,"
                          "\"jobTemplate\":{\"metadata\":{\"creationTimestamp\":null},\"spec\":{\"backoffLimit\":6,",
                          cj->spec->schedule);
  append_template (r.s, "app.kubernetes.io/part-of", cj->namespace_, cj->name, cj->spec->image,
                   "OnFailure", "");
  g_string_append_printf (r.s, "}},\"successfulJobsHistoryLimit\":%u,\"failedJobsHistoryLimit\":1},"
                          "\"status\":{", JOB_HISTORY);
  for (GList *l = cj->jobs.head; l != NULL; l = l->next)
    {
      Job *job = l->data;

      if (job->completed != 0)
        continue;
      g_string_append_printf (r.s, "%s{\"kind\":\"Job\",\"namespace\":\"%s\",\"name\":\"%s\","
                              "\"uid\":\"%s\",\"apiVersion\":\"batch/v1\"}",
                              active == 0 ? "\"active\":[" : ",", job->namespace_, job->name, job->uid);
      active++;
    }
  if (active > 0)
    g_string_append (r.s, "],");
  g_string_append_printf (r.s, "\"lastScheduleTime\":\"%s\",\"lastSuccessfulTime\":\"%s\"}",
                          last_schedule, last_success);
  r.obj->since = cj->last_schedule;
  render_cells (&r, g_strdup_printf ("\"%s\",\"%s\",\"False\",%u," PH_SIM_SINCE_CELL ",",
                                     cj->name, cj->spec->schedule, active),
                g_strdup_printf (",\"%s\",\"%s\",\"<none>\"", cj->name, cj->spec->image));
  return render_finish (&r);
}

/* A Job of @cj scheduled at @minute (minutes since the epoch, which is
 * what the CronJob controller names them by). */
static Job *
cronjob_add_job (PhSimWorld *self,
                 CronJob    *cj,
                 gint64      minute)
{
  Job *job = g_new0 (Job, 1);

  /* Two runs in one minute (a fast churn) still get distinct names. */
  minute = MAX (minute, cj->last_minute + 1);
  cj->last_minute = minute;

  job->cronjob = cj;
  job->namespace_ = cj->namespace_;
  job->name = g_strdup_printf ("%s-%" G_GINT64_FORMAT, cj->name, minute);
  job->uid = random_uid (self);
  job->container = cj->name;
  job->image = cj->spec->image;
  job->started = minute * 60 + g_rand_int_range (self->rand, 0, 3);
  g_queue_push_tail (&cj->jobs, job);

  return job;
}

static PhSimObj *
render_ingress (PhSimWorld *self,
                const char *namespace_,
                const char *name,
                const char *host,
                const char *service,
                const char *api_service,
                const char *tls_secret,
                const char *address,
                gint64      created,
                guint64     rv)
{
  Render r;
  g_autofree char *uid = random_uid (self);

  render_begin (&r, PH_SIM_RES_INGRESSES, namespace_, name, uid, rv, created);
  g_string_append (r.s, ",\"generation\":1");
  render_labels (&r, "app", service, "app.kubernetes.io/part-of", namespace_, NULL);
  g_string_append (r.s, ",\"annotations\":{\"cert-manager.io/cluster-issuer\":\"letsencrypt\","
                   "\"nginx.ingress.kubernetes.io/ssl-redirect\":\"true\"}");
  render_end_metadata (&r);
  g_string_append_printf (r.s,
                          ",\"spec\":{\"ingressClassName\":\"nginx\",\"tls\":[{\"hosts\":[\"%s\"],"
                          "\"secretName\":\"%s\"}],\"rules\":[{\"host\":\"%s\",\"http\":{\"paths\":[",
                          host, tls_secret, host);
  if (api_service != NULL)
    g_string_append_printf (r.s,
                            "{\"path\":\"/api\",\"pathType\":\"Prefix\",\"backend\":{\"service\":"
                            "{\"name\":\"%s\",\"port\":{\"number\":80}}}},",
                            api_service);
  g_string_append_printf (r.s,
                          "{\"path\":\"/\",\"pathType\":\"Prefix\",\"backend\":{\"service\":"
                          "{\"name\":\"%s\",\"port\":{\"number\":80}}}}]}}]},"
                          "\"status\":{\"loadBalancer\":{\"ingress\":[{\"ip\":\"%s\"}]}}",
                          service, address);
  render_cells (&r, g_strdup_printf ("\"%s\",\"nginx\",\"%s\",\"%s\",\"80, 443\",", name, host, address),
                g_strdup (""));
  return render_finish (&r);
}

static PhSimObj *
render_endpointslice (PhSimWorld *self,
                      Deployment *dep,
                      guint64     rv)
{
  Render r;
  g_autofree char *suffix = random_suffix (self, 5);
  g_autofree char *name = g_strdup_printf ("%s-%s", dep->name, suffix);
  g_autofree char *uid = random_uid (self);
  g_autofree char *service_key = g_strconcat (dep->namespace_, "/", dep->name, NULL);
  g_autofree char *changed = format_time (dep->created);
  PhSimObj *service = ph_sim_store_lookup (self->store, PH_SIM_RES_SERVICES, service_key);
  GString *endpoints = g_string_new (NULL);

  render_begin (&r, PH_SIM_RES_ENDPOINTSLICES, dep->namespace_, name, uid, rv, dep->created);
  g_string_append_printf (r.s, ",\"generateName\":\"%s-\",\"generation\":1", dep->name);
  render_labels (&r,
                 "app", dep->name,
                 "app.kubernetes.io/part-of", dep->namespace_,
                 "endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io",
                 "kubernetes.io/service-name", dep->name,
                 NULL);
  g_string_append_printf (r.s, ",\"annotations\":{\"endpoints.kubernetes.io/last-change-trigger-time\":\"%s\"}",
                          changed);
  if (service != NULL)
    render_owner (&r, "v1", "Service", dep->name, service->uid);
  render_end_metadata (&r);
  g_string_append (r.s, ",\"addressType\":\"IPv4\",\"endpoints\":[");
  for (guint i = 0; i < dep->pods->len; i++)
    {
      Pod *pod = g_ptr_array_index (dep->pods, i);

      g_string_append_printf (r.s,
                              "%s{\"addresses\":[\"%s\"],\"conditions\":{\"ready\":true,\"serving\":true,"
                              "\"terminating\":false},\"targetRef\":{\"kind\":\"Pod\",\"namespace\":\"%s\","
                              "\"name\":\"%s\",\"uid\":\"%s\"},\"nodeName\":\"%s\","
                              "\"zone\":\"europe-west1-b\"}",
                              i > 0 ? "," : "", pod->ip, dep->namespace_, pod->name, pod->uid,
                              pod->node->name);
      /* kubectl shows three addresses and counts the rest. */
      if (i < 3)
        g_string_append_printf (endpoints, "%s%s", i > 0 ? "," : "", pod->ip);
    }
  g_string_append_printf (r.s, "],\"ports\":[{\"name\":\"http\",\"protocol\":\"TCP\",\"port\":%u}]",
                          dep->port);
  if (dep->pods->len > 3)
    g_string_append_printf (endpoints, " + %u more...", dep->pods->len - 3);
  else if (dep->pods->len == 0)
    g_string_append (endpoints, "<none>");
  render_cells (&r, g_strdup_printf ("\"%s\",\"IPv4\",\"%u\",\"%s\",", name, dep->port, endpoints->str),
                g_strdup (""));
  g_string_free (endpoints, TRUE);
  return render_finish (&r);
}

/* @first_key, value, …, NULL: the keys and the decoded values. */
static PhSimObj *
render_secret (PhSimWorld *self,
               const char *namespace_,
               const char *name,
               const char *type,
               const char *annotations,
               gint64      created,
               guint64     rv,
               const char *first_key,
               ...)
{
  Render r;
  g_autofree char *uid = random_uid (self);
  va_list args;
  guint n = 0;

  render_begin (&r, PH_SIM_RES_SECRETS, namespace_, name, uid, rv, created);
  if (annotations != NULL)
    g_string_append_printf (r.s, ",\"annotations\":{%s}", annotations);
  render_end_metadata (&r);
  g_string_append (r.s, ",\"data\":{");
  va_start (args, first_key);
  for (const char *key = first_key; key != NULL; key = va_arg (args, const char *))
    {
      const char *value = va_arg (args, const char *);
      g_autofree char *encoded = g_base64_encode ((const guchar *) value, strlen (value));

      g_string_append_printf (r.s, "%s\"%s\":\"%s\"", n > 0 ? "," : "", key, encoded);
      n++;
    }
  va_end (args);
  g_string_append_printf (r.s, "},\"type\":\"%s\"", type);
  render_fields (&r, "type", type, NULL);
  render_cells (&r, g_strdup_printf ("\"%s\",\"%s\",%u,", name, type, n), g_strdup (""));
  return render_finish (&r);
}

static PhSimObj *
render_pvc (PhSimWorld *self,
            Volume     *volume,
            guint64     rv)
{
  Render r;
  const char *provisioner = storage_classes[0][1];

  render_begin (&r, PH_SIM_RES_PVCS, volume->namespace_, volume->claim, volume->claim_uid, rv,
                volume->created);
  if (volume->app != NULL)
    render_labels (&r, "app", volume->app, NULL);
  g_string_append_printf (r.s,
                          ",\"annotations\":{\"pv.kubernetes.io/bind-completed\":\"yes\","
                          "\"pv.kubernetes.io/bound-by-controller\":\"yes\","
                          "\"volume.beta.kubernetes.io/storage-provisioner\":\"%s\","
                          "\"volume.kubernetes.io/selected-node\":\"%s\","
                          "\"volume.kubernetes.io/storage-provisioner\":\"%s\"},"
                          "\"finalizers\":[\"kubernetes.io/pvc-protection\"]",
                          provisioner, volume->node->name, provisioner);
  render_end_metadata (&r);
  g_string_append_printf (r.s,
                          ",\"spec\":{\"accessModes\":[\"%s\"],\"resources\":{\"requests\":{\"storage\":\"%s\"}},"
                          "\"volumeName\":\"pvc-%s\",\"storageClassName\":\"%s\",\"volumeMode\":\"Filesystem\"},"
                          "\"status\":{\"phase\":\"Bound\",\"accessModes\":[\"%s\"],\"capacity\":{\"storage\":\"%s\"}}",
                          volume->access_mode, volume->size, volume->claim_uid, volume->storage_class,
                          volume->access_mode, volume->size);
  render_cells (&r, g_strdup_printf ("\"%s\",\"Bound\",\"pvc-%s\",\"%s\",\"%s\",\"%s\",",
                                     volume->claim, volume->claim_uid, volume->size,
                                     short_access_mode (volume->access_mode), volume->storage_class),
                g_strdup (",\"Filesystem\""));
  return render_finish (&r);
}

static PhSimObj *
render_pv (PhSimWorld *self,
           Volume     *volume,
           guint64     rv)
{
  Render r;
  g_autofree char *uid = random_uid (self);
  g_autofree char *name = g_strdup_printf ("pvc-%s", volume->claim_uid);
  g_autofree char *bound = format_time (volume->created + 5);
  const char *provisioner = storage_classes[0][1];

  render_begin (&r, PH_SIM_RES_PVS, NULL, name, uid, rv, volume->created + 5);
  g_string_append_printf (r.s,
                          ",\"annotations\":{\"pv.kubernetes.io/provisioned-by\":\"%s\","
                          "\"volume.kubernetes.io/provisioner-deletion-secret-name\":\"\","
                          "\"volume.kubernetes.io/provisioner-deletion-secret-namespace\":\"\"},"
                          "\"finalizers\":[\"kubernetes.io/pv-protection\","
                          "\"external-provisioner.volume.kubernetes.io/finalizer\"]",
                          provisioner);
  render_end_metadata (&r);
  g_string_append_printf (r.s,
                          ",\"spec\":{\"capacity\":{\"storage\":\"%s\"},\"csi\":{\"driver\":\"%s\","
                          "\"volumeHandle\":\"projects/demo/zones/europe-west1-b/disks/%s\",\"fsType\":\"ext4\"},"
                          "\"accessModes\":[\"%s\"],\"claimRef\":{\"kind\":\"PersistentVolumeClaim\","
                          "\"namespace\":\"%s\",\"name\":\"%s\",\"uid\":\"%s\",\"apiVersion\":\"v1\"},"
                          "\"persistentVolumeReclaimPolicy\":\"Delete\",\"storageClassName\":\"%s\","
                          "\"volumeMode\":\"Filesystem\",\"nodeAffinity\":{\"required\":{\"nodeSelectorTerms\":"
                          "[{\"matchExpressions\":[{\"key\":\"topology.kubernetes.io/zone\",\"operator\":\"In\","
                          "\"values\":[\"europe-west1-b\"]}]}]}}},"
                          "\"status\":{\"phase\":\"Bound\",\"lastPhaseTransitionTime\":\"%s\"}",
                          volume->size, provisioner, name, volume->access_mode, volume->namespace_,
                          volume->claim, volume->claim_uid, volume->storage_class, bound);
  render_cells (&r, g_strdup_printf ("\"%s\",\"%s\",\"%s\",\"Delete\",\"Bound\",\"%s/%s\",\"%s\",\"\",",
                                     name, volume->size, short_access_mode (volume->access_mode),
                                     volume->namespace_, volume->claim, volume->storage_class),
                g_strdup (",\"Filesystem\""));
  return render_finish (&r);
}

/* A volume an administrator made by hand, waiting for a claim. */
static PhSimObj *
render_static_pv (PhSimWorld *self,
                  gint64      created,
                  guint64     rv)
{
  Render r;
  g_autofree char *uid = random_uid (self);
  g_autofree char *created_text = format_time (created);

  render_begin (&r, PH_SIM_RES_PVS, NULL, "nfs-archive", uid, rv, created);
  render_labels (&r, "type", "nfs", NULL);
  g_string_append (r.s, ",\"finalizers\":[\"kubernetes.io/pv-protection\"]");
  render_end_metadata (&r);
  g_string_append_printf (r.s,
                          ",\"spec\":{\"capacity\":{\"storage\":\"500Gi\"},\"nfs\":{\"server\":\"10.0.0.20\","
                          "\"path\":\"/exports/archive\"},\"accessModes\":[\"ReadWriteMany\"],"
                          "\"persistentVolumeReclaimPolicy\":\"Retain\",\"volumeMode\":\"Filesystem\"},"
                          "\"status\":{\"phase\":\"Available\",\"lastPhaseTransitionTime\":\"%s\"}",
                          created_text);
  render_cells (&r, g_strdup ("\"nfs-archive\",\"500Gi\",\"RWX\",\"Retain\",\"Available\",\"\",\"\",\"\","),
                g_strdup (",\"Filesystem\""));
  return render_finish (&r);
}

static PhSimObj *
render_storageclass (PhSimWorld *self,
                     guint       index,
                     gint64      created,
                     guint64     rv)
{
  Render r;
  g_autofree char *uid = random_uid (self);
  const char *name = storage_classes[index][0];
  const char *provisioner = storage_classes[index][1];
  const char *binding = storage_classes[index][2];
  gboolean is_default = index == 0;

  render_begin (&r, PH_SIM_RES_STORAGECLASSES, NULL, name, uid, rv, created);
  render_labels (&r, "addonmanager.kubernetes.io/mode", "EnsureExists", NULL);
  if (is_default)
    g_string_append (r.s, ",\"annotations\":{\"storageclass.kubernetes.io/is-default-class\":\"true\"}");
  render_end_metadata (&r);
  g_string_append_printf (r.s,
                          ",\"provisioner\":\"%s\",\"parameters\":{\"type\":\"%s\"},"
                          "\"reclaimPolicy\":\"Delete\",\"allowVolumeExpansion\":true,"
                          "\"volumeBindingMode\":\"%s\"",
                          provisioner, storage_classes[index][3], binding);
  /* The API server marks the default class in the name cell. */
  render_cells (&r, g_strdup_printf ("\"%s%s\",\"%s\",\"Delete\",\"%s\",\"true\",",
                                     name, is_default ? " (default)" : "", provisioner, binding),
                g_strdup (""));
  return render_finish (&r);
}

static const char *
app_base_name (Deployment *dep)
{
  for (guint i = 0; i < G_N_ELEMENTS (app_names); i++)
    if (g_str_has_prefix (dep->name, app_names[i]))
      return app_names[i];
  return dep->name;
}

static void
populate_namespace_extras (PhSimWorld *self,
                           Namespace  *ns,
                           gboolean    first,
                           GPtrArray  *deps,
                           GPtrArray  *volumes)
{
  gboolean system = g_str_equal (ns->name, "kube-system");
  Deployment *front = NULL;
  Deployment *api = NULL;
  g_autofree char *tls_secret = NULL;
  guint n_secrets = 0;

  for (guint i = 0; i < deps->len; i++)
    populate (self, render_endpointslice (self, g_ptr_array_index (deps, i), next_rv (self)));

  /* Web-facing workloads get an Ingress, with its certificate. */
  for (guint i = 0; i < deps->len; i++)
    {
      Deployment *dep = g_ptr_array_index (deps, i);
      const char *base = app_base_name (dep);

      if (front == NULL && (g_str_equal (base, "web") || g_str_equal (base, "frontend") ||
                            g_str_equal (base, "gateway")))
        front = dep;
      else if (api == NULL && g_str_equal (base, "api"))
        api = dep;
    }
  if (front == NULL)
    front = api != NULL ? api : deps->len > 0 ? g_ptr_array_index (deps, 0) : NULL;
  if (api == front)
    api = NULL;
  if (!system && front != NULL)
    {
      g_autofree char *host = g_strdup_printf ("%s.example.com", ns->name);
      g_autofree char *address = g_strdup_printf ("203.0.113.%u", 10 + g_rand_int_range (self->rand, 0, 200));
      const char *cert = "-----BEGIN CERTIFICATE-----\n"
                         "MIIBhTCCASugAwIBAgIQIRi6zePL6mKjOipn+dNuaTAKBggqhkjOPQQDAjAS\n"
                         "MRAwDgYDVQQKEwdBY21lIENvMB4XDTI2MDEwMTAwMDAwMFoXDTI3MDEwMTAw\n"
                         "-----END CERTIFICATE-----\n";
      g_autofree char *key = g_strdup_printf ("-----BEGIN EC PRIVATE KEY-----\n"
                                              "MHcCAQEEIBm7QkrWvSXZs%sAoGCCqGSM49AwEHoUQDQgAEgLz2\n"
                                              "-----END EC PRIVATE KEY-----\n",
                                              ns->name);

      tls_secret = g_strdup_printf ("%s-tls", ns->name);
      populate (self, render_ingress (self, ns->name, front->name, host, front->name,
                                      api != NULL ? api->name : NULL, tls_secret, address,
                                      front->created + 120, next_rv (self)));
      populate (self, render_secret (self, ns->name, tls_secret, "kubernetes.io/tls",
                                     "\"cert-manager.io/issuer-name\":\"letsencrypt\"",
                                     front->created + 180, next_rv (self),
                                     "tls.crt", cert, "tls.key", key, NULL));
      n_secrets++;
    }

  {
    g_autofree char *name = g_strdup_printf ("%s-credentials", front != NULL ? front->name : "app");
    g_autofree char *user = g_strdup_printf ("%s_%s", ns->name, front != NULL ? front->name : "app");
    g_autofree char *password = random_password (self, 20);

    populate (self, render_secret (self, ns->name, name, "Opaque", NULL,
                                   ns->created + g_rand_int_range (self->rand, 60, 3600), next_rv (self),
                                   "password", password, "username", user, NULL));
    n_secrets++;
  }

  if (g_rand_int_range (self->rand, 0, 2) == 0)
    {
      g_autofree char *password = random_password (self, 32);
      g_autofree char *auth_raw = g_strdup_printf ("ci-puller:%s", password);
      g_autofree char *auth = g_base64_encode ((const guchar *) auth_raw, strlen (auth_raw));
      g_autofree char *config = g_strdup_printf ("{\"auths\":{\"registry.example.com\":{\"username\":\"ci-puller\","
                                                 "\"password\":\"%s\",\"auth\":\"%s\"}}}",
                                                 password, auth);

      populate (self, render_secret (self, ns->name, "registry-pull-secret", "kubernetes.io/dockerconfigjson",
                                     NULL, ns->created + g_rand_int_range (self->rand, 60, 3600),
                                     next_rv (self), ".dockerconfigjson", config, NULL));
      n_secrets++;
    }

  if (n_secrets < 2 || g_rand_int_range (self->rand, 0, 2) == 0)
    {
      g_autofree char *sa_uid = random_uid (self);
      g_autofree char *annotations = g_strdup_printf ("\"kubernetes.io/service-account.name\":\"deployer\","
                                                      "\"kubernetes.io/service-account.uid\":\"%s\"", sa_uid);
      g_autofree char *token = g_strdup_printf ("eyJhbGciOiJSUzI1NiIsImtpZCI6InNpbSJ9."
                                                "eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6%s.%s",
                                                ns->name, sa_uid);

      populate (self, render_secret (self, ns->name, "deployer-token", "kubernetes.io/service-account-token",
                                     annotations, ns->created + 30, next_rv (self),
                                     "ca.crt", "-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIBADAKBggqhkjOPQQDAjAj\n"
                                     "-----END CERTIFICATE-----\n",
                                     "namespace", ns->name, "token", token, NULL));
      n_secrets++;
    }

  /* A database or queue, with a volume per replica. */
  if (!system && (first || g_rand_int_range (self->rand, 0, 100) < 40))
    {
      guint k = g_rand_int_range (self->rand, 0, G_N_ELEMENTS (stateful_apps));
      const char *name = stateful_apps[k][0];
      guint replicas = g_rand_int_range (self->rand, 1, 4);
      gint64 created = ns->created + g_rand_int_range (self->rand, 60, 3600);

      populate (self, render_statefulset (self, ns->name, name, stateful_apps[k][1], replicas,
                                          created, next_rv (self)));
      for (guint i = 0; i < replicas; i++)
        {
          Volume *volume = g_new0 (Volume, 1);

          volume->namespace_ = ns->name;
          volume->claim = g_strdup_printf ("data-%s-%u", name, i);
          volume->claim_uid = random_uid (self);
          volume->app = g_strdup (name);
          volume->storage_class = storage_classes[0][0];
          volume->size = "10Gi";
          volume->access_mode = "ReadWriteOnce";
          volume->created = created + 5 + i * 30;
          volume->node = pick_node (self);
          g_ptr_array_add (volumes, volume);
          populate (self, render_pvc (self, volume, next_rv (self)));
        }
    }

  if (!system && deps->len > 0 && g_rand_int_range (self->rand, 0, 4) == 0)
    {
      Volume *volume = g_new0 (Volume, 1);

      volume->namespace_ = ns->name;
      volume->claim = g_strdup ("uploads");
      volume->claim_uid = random_uid (self);
      volume->storage_class = storage_classes[1][0];
      volume->size = "50Gi";
      volume->access_mode = "ReadWriteOnce";
      volume->created = ns->created + g_rand_int_range (self->rand, 60, 3600);
      volume->node = pick_node (self);
      g_ptr_array_add (volumes, volume);
      populate (self, render_pvc (self, volume, next_rv (self)));
    }

  if (system)
    populate (self, render_daemonset (self, ns->name, "kube-proxy", "registry.k8s.io/kube-proxy:v1.30.4",
                                      self->nodes->len, ns->created + 10, next_rv (self)));
  if (g_rand_int_range (self->rand, 0, 100) < (system ? 100 : 25))
    {
      guint k = g_rand_int_range (self->rand, 0, G_N_ELEMENTS (daemon_apps));

      populate (self, render_daemonset (self, ns->name, daemon_apps[k][0], daemon_apps[k][1],
                                        self->nodes->len,
                                        ns->created + g_rand_int_range (self->rand, 60, 3600),
                                        next_rv (self)));
    }

  /* A CronJob with the last runs it keeps, and a one-off Job. */
  if (first || g_rand_int_range (self->rand, 0, 100) < 40)
    {
      CronJob *cj = g_new0 (CronJob, 1);
      gint64 last;

      cj->namespace_ = ns->name;
      cj->spec = &cron_specs[g_rand_int_range (self->rand, 0, G_N_ELEMENTS (cron_specs))];
      cj->name = g_strdup (cj->spec->name);
      cj->uid = random_uid (self);
      cj->created = ns->created + g_rand_int_range (self->rand, 60, 3600);
      last = (self->epoch - g_rand_int_range (self->rand, 0, cj->spec->interval)) / 60;
      for (guint i = JOB_HISTORY - 1; i > 0; i--)
        {
          Job *job = cronjob_add_job (self, cj, last - (gint64) i * (cj->spec->interval / 60));

          job->completed = job->started + g_rand_int_range (self->rand, 5, 300);
        }
      cronjob_add_job (self, cj, last)->completed = last * 60 + g_rand_int_range (self->rand, 5, 300);
      cj->last_schedule = last * 60;
      cj->last_success = ((Job *) g_queue_peek_tail (&cj->jobs))->completed;
      /* A completed run can end after the epoch: not in the future. */
      cj->last_success = MIN (cj->last_success, self->epoch);
      for (GList *l = cj->jobs.head; l != NULL; l = l->next)
        {
          Job *job = l->data;

          job->completed = MIN (job->completed, self->epoch);
          populate (self, render_job (job, next_rv (self)));
        }
      populate (self, render_cronjob (cj, next_rv (self)));
      g_ptr_array_add (self->cronjobs, cj);
    }

  if (!system && (first || g_rand_int_range (self->rand, 0, 3) == 0))
    {
      Job job = { NULL, };
      guint revision = g_rand_int_range (self->rand, 2, 40);

      job.namespace_ = ns->name;
      job.name = g_strdup_printf ("db-migrate-%u", revision);
      job.uid = random_uid (self);
      job.container = "migrate";
      job.image = "migrate/migrate:v4.17.1";
      job.started = ns->created + g_rand_int_range (self->rand, 3600, 86400);
      job.completed = job.started + g_rand_int_range (self->rand, 4, 90);
      populate (self, render_job (&job, next_rv (self)));
      g_free (job.name);
      g_free (job.uid);
    }
}

static void
populate_extras (PhSimWorld *self)
{
  g_autoptr(GPtrArray) volumes = g_ptr_array_new_with_free_func (volume_free);
  guint d = 0;

  for (guint i = 0; i < G_N_ELEMENTS (storage_classes); i++)
    populate (self, render_storageclass (self, i, self->epoch - 85 * 86400 + i * 3600, next_rv (self)));

  for (guint i = 0; i < self->namespaces->len; i++)
    {
      Namespace *ns = g_ptr_array_index (self->namespaces, i);
      g_autoptr(GPtrArray) deps = g_ptr_array_new ();

      while (d < self->deployments->len &&
             ((Deployment *) g_ptr_array_index (self->deployments, d))->namespace_ == ns->name)
        g_ptr_array_add (deps, g_ptr_array_index (self->deployments, d++));
      populate_namespace_extras (self, ns, i == 0, deps, volumes);
    }

  for (guint i = 0; i < volumes->len; i++)
    populate (self, render_pv (self, g_ptr_array_index (volumes, i), next_rv (self)));
  populate (self, render_static_pv (self, self->epoch - 70 * 86400, next_rv (self)));
}

/* One step of the CronJobs: the runs that are due finish, and every few
 * steps one of them starts a new run. */
static void
churn_cronjobs (PhSimWorld *self)
{
  Job *job;
  CronJob *cj;

  while ((job = g_queue_peek_head (&self->running_jobs)) != NULL && job->due_step <= self->step)
    {
      cj = job->cronjob;
      g_queue_pop_head (&self->running_jobs);
      job->completed = now_seconds ();
      cj->last_success = job->completed;
      commit (self, PH_SIM_EVENT_MODIFIED, render_job (job, next_rv (self)));
      commit (self, PH_SIM_EVENT_MODIFIED, render_cronjob (cj, next_rv (self)));

      /* successfulJobsHistoryLimit: the oldest finished runs go. */
      while (cj->jobs.length > JOB_HISTORY)
        {
          Job *oldest = g_queue_peek_head (&cj->jobs);

          if (oldest->completed == 0)
            break;
          g_queue_pop_head (&cj->jobs);
          commit (self, PH_SIM_EVENT_DELETED, render_job (oldest, next_rv (self)));
          job_free (oldest);
        }
    }

  if (self->step % CRON_STEPS != 0 || self->cronjobs->len == 0)
    return;

  cj = g_ptr_array_index (self->cronjobs, self->next_cronjob++ % self->cronjobs->len);
  job = cronjob_add_job (self, cj, now_seconds () / 60);
  job->started = now_seconds ();
  job->due_step = self->step + JOB_STEPS;
  g_queue_push_tail (&self->running_jobs, job);
  cj->last_schedule = job->started;
  commit (self, PH_SIM_EVENT_ADDED, render_job (job, next_rv (self)));
  commit (self, PH_SIM_EVENT_MODIFIED, render_cronjob (cj, next_rv (self)));
}

/* Runs @func with the helpers (random_uid(), pick_node(), …) drawing
 * from the generator of the extra kinds. */
static void
with_extra_rand (PhSimWorld *self,
                 void      (*func) (PhSimWorld *self))
{
  GRand *main_rand = self->rand;

  self->rand = self->extra_rand;
  func (self);
  self->rand = main_rand;
}

PhSimWorld *
ph_sim_world_new (PhSimStore *store,
                  guint64     seed,
                  guint       n_pods,
                  guint       n_namespaces)
{
  PhSimWorld *self = g_new0 (PhSimWorld, 1);
  guint32 seed_words[2] = { (guint32) seed, (guint32) (seed >> 32) };
  guint n_nodes;

  self->store = store;
  self->rand = g_rand_new_with_seed_array (seed_words, 2);
  {
    guint32 extra_words[3] = { seed_words[0], seed_words[1], 0x6b696e64 };

    self->extra_rand = g_rand_new_with_seed_array (extra_words, 3);
  }
  self->cronjobs = g_ptr_array_new_with_free_func (cronjob_free);
  self->epoch = now_seconds ();
  self->namespaces = g_ptr_array_new_with_free_func (namespace_free);
  self->nodes = g_ptr_array_new_with_free_func (node_free);
  self->deployments = g_ptr_array_new_with_free_func (deployment_free);
  self->pods = g_ptr_array_new_with_free_func (pod_free);
  self->pods_by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->events);
  self->max_events = MAX (200, n_pods / 10);

  if (n_namespaces == 0)
    n_namespaces = 1;

  populate (self, render_widget_crd (self->epoch - 90 * 86400, next_rv (self)));

  n_nodes = MAX (3, (n_pods + 99) / 100);
  for (guint i = 0; i < n_nodes; i++)
    {
      Node *node = g_new0 (Node, 1);

      node->name = g_strdup_printf ("node-%03u", i + 1);
      node->uid = random_uid (self);
      node->ip = g_strdup_printf ("192.168.%u.%u", 10 + i / 250, 10 + i % 250);
      node->created = self->epoch - 80 * 86400 + i * 600;
      g_ptr_array_add (self->nodes, node);
      populate (self, render_node (node, next_rv (self)));
    }

  for (guint i = 0; i < n_namespaces; i++)
    {
      Namespace *ns = g_new0 (Namespace, 1);

      if (i < G_N_ELEMENTS (namespace_names))
        ns->name = g_strdup (namespace_names[i]);
      else
        ns->name = g_strdup_printf ("%s-%u",
                                    namespace_names[2 + i % (G_N_ELEMENTS (namespace_names) - 2)],
                                    (guint) (i / (G_N_ELEMENTS (namespace_names) - 2) + 1));
      ns->uid = random_uid (self);
      ns->created = self->epoch - 60 * 86400 + g_rand_int_range (self->rand, 0, 50 * 86400);
      g_ptr_array_add (self->namespaces, ns);
      populate (self, render_namespace (ns, next_rv (self)));
    }

  for (guint i = 0; i < n_namespaces; i++)
    populate_namespace (self, g_ptr_array_index (self->namespaces, i),
                        n_pods / n_namespaces + (i < n_pods % n_namespaces ? 1 : 0));

  with_extra_rand (self, populate_extras);

  return self;
}

void
ph_sim_world_free (PhSimWorld *self)
{
  if (self == NULL)
    return;

  g_queue_clear_full (&self->events, event_ref_free);
  g_queue_clear (&self->initializing);
  g_queue_clear_full (&self->terminating, pod_free);
  g_queue_clear (&self->running_jobs);
  g_ptr_array_unref (self->cronjobs);
  g_hash_table_unref (self->pods_by_key);
  g_ptr_array_unref (self->pods);
  g_ptr_array_unref (self->deployments);
  g_ptr_array_unref (self->nodes);
  g_ptr_array_unref (self->namespaces);
  g_rand_free (self->rand);
  g_rand_free (self->extra_rand);
  g_free (self);
}

/* Churn. */

static void
update_pod (PhSimWorld *self,
            Pod        *pod)
{
  commit (self, PH_SIM_EVENT_MODIFIED, render_pod (pod, next_rv (self)));
}

static void
update_owners (PhSimWorld *self,
               Deployment *dep,
               ReplicaSet *rs)
{
  if (rs != NULL)
    commit (self, PH_SIM_EVENT_MODIFIED, render_replicaset (rs, next_rv (self)));
  commit (self, PH_SIM_EVENT_MODIFIED, render_deployment (dep, next_rv (self)));
}

static void
delete_pod_object (PhSimWorld *self,
                   Pod        *pod)
{
  commit (self, PH_SIM_EVENT_DELETED, render_pod (pod, next_rv (self)));
}

static Pod *
add_pod (PhSimWorld *self,
         ReplicaSet *rs)
{
  Pod *pod = pod_new (self, rs, now_seconds ());

  if (rs->deployment->init)
    {
      pod->initializing = TRUE;
      pod->due_step = self->step + INIT_STEPS;
      g_queue_push_tail (&self->initializing, pod);
    }
  commit (self, PH_SIM_EVENT_ADDED, render_pod (pod, next_rv (self)));
  return pod;
}

/* A pod the controllers delete: about half of them go through
 * Terminating (deletionTimestamp set, a MODIFIED event) and are DELETED
 * some steps later, as after a grace period; the others go at once, as
 * pods that exit quickly do. */
static void
retire_pod (PhSimWorld *self,
            Pod        *pod)
{
  if (g_str_hash (pod->uid) % 2 == 0)
    {
      delete_pod_object (self, pod);
      pod_remove (self, pod);
      return;
    }

  pod_detach (self, pod);
  pod->deleted = now_seconds ();
  pod->due_step = self->step + GRACE_STEPS;
  g_queue_push_tail (&self->terminating, pod);
  update_pod (self, pod);
}

/* Ends the init containers and grace periods that are due. */
static void
advance_pods (PhSimWorld *self)
{
  Pod *pod;

  while ((pod = g_queue_peek_head (&self->initializing)) != NULL && pod->due_step <= self->step)
    {
      g_queue_pop_head (&self->initializing);
      pod->initializing = FALSE;
      pod->started = now_seconds ();
      pod->last_restart = pod->started;
      update_pod (self, pod);
      update_owners (self, pod->deployment, pod->rs);
    }

  while ((pod = g_queue_peek_head (&self->terminating)) != NULL && pod->due_step <= self->step)
    {
      delete_pod_object (self, pod);
      pod_remove (self, pod);
    }
}

/* Before a ReplicaSet goes: its pods still terminating go with it. */
static void
finish_terminating (PhSimWorld *self,
                    ReplicaSet *rs)
{
  for (GList *l = self->terminating.head; l != NULL;)
    {
      Pod *pod = l->data;

      l = l->next;
      if (pod->rs == rs)
        {
          delete_pod_object (self, pod);
          pod_remove (self, pod);
        }
    }
}

static void
churn_crash (PhSimWorld *self,
             Pod        *pod)
{
  g_autofree char *message = NULL;

  pod->crashing = TRUE;
  pod->restarts++;
  pod->last_restart = now_seconds ();
  update_pod (self, pod);
  update_owners (self, pod->deployment, pod->rs);
  message = g_strdup_printf ("Back-off restarting failed container main in pod %s_%s(%s)",
                             pod->name, pod->deployment->namespace_, pod->uid);
  record_event (self, pod, "Warning", "BackOff", message, FALSE);
}

static void
churn_recover (PhSimWorld *self,
               Pod        *pod)
{
  pod->crashing = FALSE;
  pod->last_restart = now_seconds ();
  update_pod (self, pod);
  update_owners (self, pod->deployment, pod->rs);
  record_event (self, pod, "Normal", "Started", "Started container main", FALSE);
}

static void
churn_rollout (PhSimWorld *self,
               Deployment *dep)
{
  ReplicaSet *old = dep->current;
  ReplicaSet *rs;
  g_autoptr(GPtrArray) old_pods = g_ptr_array_copy (dep->pods, NULL, NULL);

  dep->generation++;
  rs = replicaset_new (self, dep, old->revision + 1, old->image_version + 1, now_seconds ());
  rs->replicas = dep->replicas;
  dep->current = rs;
  commit (self, PH_SIM_EVENT_ADDED, render_replicaset (rs, next_rv (self)));

  for (guint i = 0; i < old_pods->len; i++)
    {
      Pod *pod = g_ptr_array_index (old_pods, i);

      add_pod (self, rs);
      retire_pod (self, pod);
    }

  for (guint i = 0; i < dep->replicasets->len; i++)
    {
      ReplicaSet *r = g_ptr_array_index (dep->replicasets, i);

      if (r != rs && r->replicas > 0)
        {
          r->replicas = 0;
          commit (self, PH_SIM_EVENT_MODIFIED, render_replicaset (r, next_rv (self)));
        }
    }

  commit (self, PH_SIM_EVENT_MODIFIED, render_replicaset (rs, next_rv (self)));
  commit (self, PH_SIM_EVENT_MODIFIED, render_deployment (dep, next_rv (self)));

  /* revisionHistoryLimit, scaled down for the simulation. */
  while (dep->replicasets->len > MAX_OLD_REPLICASETS + 1)
    {
      ReplicaSet *oldest = g_ptr_array_index (dep->replicasets, 0);

      finish_terminating (self, oldest);
      commit (self, PH_SIM_EVENT_DELETED, render_replicaset (oldest, next_rv (self)));
      g_ptr_array_remove_index (dep->replicasets, 0);
    }
}

static void
set_replicas (PhSimWorld *self,
              Deployment *dep,
              guint       replicas)
{
  dep->replicas = replicas;
  dep->current->replicas = replicas;
  dep->generation++;

  while (dep->pods->len < replicas)
    add_pod (self, dep->current);
  while (dep->pods->len > replicas)
    {
      Pod *pod = g_ptr_array_index (dep->pods, dep->pods->len - 1);
      ReplicaSet *rs = pod->rs;

      retire_pod (self, pod);
      if (rs != dep->current)
        commit (self, PH_SIM_EVENT_MODIFIED, render_replicaset (rs, next_rv (self)));
    }

  update_owners (self, dep, dep->current);
}

static void
churn_scale (PhSimWorld *self,
             Deployment *dep)
{
  guint replicas = dep->replicas;
  gboolean up;

  /* Scale out or in by one, then back: a long-running demo keeps the
   * number of pods it started with. */
  if (replicas != dep->base_replicas)
    up = replicas < dep->base_replicas;
  else
    up = replicas <= 1 || g_rand_boolean (self->rand);

  replicas = up ? replicas + 1 : replicas - 1;

  set_replicas (self, dep, replicas);
}

void
ph_sim_world_churn_step (PhSimWorld *self)
{
  guint dice = g_rand_int_range (self->rand, 0, 100);
  Pod *pod = NULL;

  self->step++;
  advance_pods (self);
  with_extra_rand (self, churn_cronjobs);

  if (self->pods->len > 0)
    pod = g_ptr_array_index (self->pods, g_rand_int_range (self->rand, 0, self->pods->len));

  if (pod == NULL)
    return;

  if (dice < 40 && pod->initializing)
    {
      /* Its init container runs: nothing to crash yet. */
      record_event (self, pod, "Normal", "Pulled",
                    "Container image \"busybox:1.36\" already present on machine", FALSE);
    }
  else if (dice < 40)
    {
      if (pod->crashing)
        churn_recover (self, pod);
      else
        churn_crash (self, pod);
    }
  else if (dice < 70)
    {
      /* Recover some crashed pod nearby (it restarted successfully), so
       * crashes do not accumulate. */
      Pod *crashed = NULL;

      for (guint i = 0; i < 64 && i < self->pods->len && crashed == NULL; i++)
        {
          Pod *p = g_ptr_array_index (self->pods, (pod->index + i) % self->pods->len);
          if (p->crashing)
            crashed = p;
        }
      if (crashed != NULL)
        churn_recover (self, crashed);
      else
        {
          guint k = g_rand_int_range (self->rand, 0, G_N_ELEMENTS (event_reasons));
          record_event (self, pod, event_reasons[k][0], event_reasons[k][1], event_reasons[k][2], FALSE);
        }
    }
  else if (dice < 75)
    churn_rollout (self, pod->deployment);
  else if (dice < 85)
    churn_scale (self, pod->deployment);
  else
    {
      guint k = g_rand_int_range (self->rand, 0, G_N_ELEMENTS (event_reasons));
      record_event (self, pod, event_reasons[k][0], event_reasons[k][1], event_reasons[k][2], FALSE);
    }
}

gboolean
ph_sim_world_label_pod (PhSimWorld *self,
                        const char *namespace_,
                        const char *name,
                        const char *key,
                        const char *value)
{
  g_autofree char *pod_key = g_strconcat (namespace_, "/", name, NULL);
  Pod *pod = g_hash_table_lookup (self->pods_by_key, pod_key);

  if (pod == NULL)
    return FALSE;

  g_free (pod->extra_key);
  g_free (pod->extra_value);
  pod->extra_key = g_strdup (key);
  pod->extra_value = g_strdup (value);
  update_pod (self, pod);

  return TRUE;
}

gboolean
ph_sim_world_delete_pod (PhSimWorld *self,
                         const char *namespace_,
                         const char *name)
{
  g_autofree char *key = g_strconcat (namespace_, "/", name, NULL);
  Pod *pod = g_hash_table_lookup (self->pods_by_key, key);
  Deployment *dep;
  ReplicaSet *rs;

  if (pod == NULL)
    return FALSE;

  dep = pod->deployment;
  rs = pod->rs;
  if (pod->deleted != 0)
    {
      /* Already terminating and replaced: now it goes at once, as with
       * --grace-period=0. */
      delete_pod_object (self, pod);
      pod_remove (self, pod);
      return TRUE;
    }

  delete_pod_object (self, pod);
  pod_remove (self, pod);

  /* The ReplicaSet controller replaces it. */
  if (rs == dep->current)
    add_pod (self, rs);
  update_owners (self, dep, rs);

  return TRUE;
}

gboolean
ph_sim_world_scale_deployment (PhSimWorld *self,
                               const char *namespace_,
                               const char *name,
                               guint       replicas)
{
  for (guint i = 0; i < self->deployments->len; i++)
    {
      Deployment *dep = g_ptr_array_index (self->deployments, i);

      if (g_str_equal (dep->namespace_, namespace_) && g_str_equal (dep->name, name))
        {
          set_replicas (self, dep, replicas);
          return TRUE;
        }
    }

  return FALSE;
}
