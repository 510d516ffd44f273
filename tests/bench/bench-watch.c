/* bench-watch.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "ph-cluster.h"
#include "ph-kubeconfig.h"
#include "ph-list-cache-private.h"
#include "ph-object.h"
#include "ph-query.h"
#include "ph-watch-hub.h"

/* Measures, against a simulated cluster in its own process:
 *  1. the initial sync of BENCH_PODS (50,000) pods into one all-namespaces
 *     cache (seconds, CPU, peak RSS), next to `kubectl get pods -A -o name`;
 *  2. watch events applied per second with all of them cached, per CPU
 *     second of this process, while the server churns as fast as it can;
 *  3. the same stream consumed by `kubectl get pods -A -w -o name` in the
 *     same run: its events per CPU second, and the ratio;
 *  4. cache memory (heap growth) against the objects' JSON size;
 *  5. the apply path alone: MODIFIED events fed from memory.
 * Results are printed as "name: value unit" lines. */

/* The server and kubectl go when this process goes, even if it crashes. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static double
now_s (void)
{
  return g_get_monotonic_time () / 1e6;
}

static double
cpu_self_s (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static double
cpu_of_pid (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *contents = NULL;
  g_auto(GStrv) fields = NULL;
  const char *close_paren;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return -1;
  close_paren = strrchr (contents, ')');
  if (close_paren == NULL)
    return -1;
  fields = g_strsplit (close_paren + 2, " ", 0);
  if (g_strv_length (fields) < 13)
    return -1;
  /* utime and stime are fields 14 and 15 of the line, 12 and 13 after ")". */
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) / sysconf (_SC_CLK_TCK);
}

static gint64
status_kb (const char *key)
{
  g_autofree char *contents = NULL;
  const char *p;

  if (!g_file_get_contents ("/proc/self/status", &contents, NULL, NULL))
    return -1;
  p = strstr (contents, key);
  if (p == NULL)
    return -1;
  return g_ascii_strtoll (p + strlen (key) + 1, NULL, 10);
}

static gsize
heap_in_use (void)
{
  struct mallinfo2 mi = mallinfo2 ();
  return mi.uordblks + mi.hblkhd;
}

static void
report (const char *name,
        double      value,
        const char *unit)
{
  printf ("%s: %.3f %s\n", name, value, unit);
  fflush (stdout);
}

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
spin_until (gboolean (*cond) (gpointer),
            gpointer   data,
            double     max_s)
{
  double end = now_s () + max_s;
  guint id = g_timeout_add (20, tick, NULL);

  while (!cond (data) && now_s () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

static gboolean
is_live (gpointer data)
{
  return ph_list_cache_get_state (data) == PH_CACHE_STATE_LIVE;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

static void
control (const char *url,
         const char *json)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *control_url = g_strconcat (url, "/porthole-sim/v1/control", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", control_url);
  g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  if (reply == NULL || soup_message_get_status (msg) != 200)
    g_error ("control %s failed: %s", json, error ? error->message : "bad status");
}

/* Counts the lines of a growing file, reading only what is new, so that
 * polling kubectl's output costs this process next to nothing. */
typedef struct {
  FILE  *f;
  guint  n;
} LineCounter;

static guint
count_lines (LineCounter *lc,
             const char  *path)
{
  char buf[65536];
  size_t got;

  if (lc->f == NULL)
    {
      lc->f = fopen (path, "r");
      if (lc->f == NULL)
        return 0;
    }
  clearerr (lc->f);
  while ((got = fread (buf, 1, sizeof buf, lc->f)) > 0)
    for (size_t i = 0; i < got; i++)
      if (buf[i] == '\n')
        lc->n++;
  return lc->n;
}

static void
line_counter_clear (LineCounter *lc)
{
  g_clear_pointer (&lc->f, fclose);
  lc->n = 0;
}

typedef struct {
  LineCounter *lc;
  const char  *path;
  guint        n;
} LinesAtLeast;

static gboolean
lines_at_least (gpointer data)
{
  LinesAtLeast *l = data;
  return count_lines (l->lc, l->path) >= l->n;
}

/* MODIFIED events for every cached object, with a new resourceVersion
 * and a changed label, as newline-separated watch lines. */
static GString *
make_modified_events (PhListCache *cache,
                      guint        max)
{
  GString *out = g_string_new (NULL);
  guint n = MIN (max, g_list_model_get_n_items (G_LIST_MODEL (cache)));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PhObject) obj = g_list_model_get_item (G_LIST_MODEL (cache), i);
      gsize len;
      const char *json = g_bytes_get_data (ph_object_get_json (obj), &len);
      g_autofree char *needle = g_strdup_printf ("\"resourceVersion\":\"%s\"",
                                                 ph_object_get_resource_version (obj));
      const char *at = g_strstr_len (json, len, needle);
      g_autofree char *replacement = g_strdup_printf ("\"resourceVersion\":\"b%u\"", i);

      if (at == NULL)
        continue;
      g_string_append (out, "{\"type\":\"MODIFIED\",\"object\":");
      g_string_append_len (out, json, at - json);
      g_string_append (out, replacement);
      g_string_append_len (out, at + strlen (needle), len - (at + strlen (needle) - json));
      g_string_append (out, "}\n");
    }
  return out;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("PORTHOLE_CLI");
  guint pods = g_getenv ("BENCH_PODS") ? atoi (g_getenv ("BENCH_PODS")) : 50000;
  double churn_s = g_getenv ("BENCH_CHURN_SECONDS") ? g_ascii_strtod (g_getenv ("BENCH_CHURN_SECONDS"), NULL) : 20;
  gboolean with_kubectl = g_find_program_in_path ("kubectl") != NULL && g_getenv ("BENCH_NO_KUBECTL") == NULL;
  g_autofree char *tmpdir = NULL;
  g_autofree char *kubeconfig = NULL;
  g_autofree char *kubectl_out = NULL;
  g_autofree char *pods_arg = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GSubprocess) sim = NULL;
  g_autoptr(GDataInputStream) sim_out = NULL;
  g_autoptr(PhKubeconfig) config = NULL;
  g_autoptr(PhCluster) cluster = NULL;
  g_autoptr(PhWatchHub) hub = NULL;
  g_autoptr(PhQuery) query = NULL;
  PhListCache *cache;
  double t0, c0, sync_s, sync_cpu;
  gsize heap0, heap1, json_bytes = 0;
  guint n;

  if (cli == NULL)
    g_error ("PORTHOLE_CLI must name porthole-cli");

  tmpdir = g_dir_make_tmp ("porthole-bench-XXXXXX", &error);
  g_assert_no_error (error);
  kubeconfig = g_build_filename (tmpdir, "kubeconfig", NULL);
  kubectl_out = g_build_filename (tmpdir, "kubectl-watch.txt", NULL);
  pods_arg = g_strdup_printf ("%u", pods);

  /* The server gets its own process, so its work and memory stay out of
   * the numbers of this one. */
  {
    g_autoptr(GSubprocessLauncher) launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDIN_PIPE);

    g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
    sim = g_subprocess_launcher_spawn (launcher, &error, cli, "sim", "--port", "0", "--pods", pods_arg,
                                       "--namespaces", "50", "--seed", "42", "--kubeconfig-out", kubeconfig,
                                       "--context-name", "bench", NULL);
    g_assert_no_error (error);
  }
  sim_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim));
  url = g_data_input_stream_read_line_utf8 (sim_out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (url);
  g_strchomp (url);
  printf ("server: %s with %u pods\n", url, pods);

  config = ph_kubeconfig_load (kubeconfig, &error);
  g_assert_no_error (error);
  cluster = ph_cluster_new (config, "bench", &error);
  g_assert_no_error (error);
  query = ph_query_new (cluster, "", "v1", "pods", NULL, NULL, NULL);

  /* 1. Initial sync with a streaming list (sendInitialEvents), the
   * default; this cache stays for the measurements that follow. */
  malloc_trim (0);
  heap0 = heap_in_use ();
  report ("rss_before_sync", status_kb ("VmRSS:") / 1024.0, "MiB");
  hub = ph_watch_hub_new (PH_WATCH_STRATEGY_MULTIPLEXED);
  t0 = now_s ();
  c0 = cpu_self_s ();
  cache = ph_watch_hub_acquire (hub, query);
  spin_until (is_live, cache, 600);
  sync_s = now_s () - t0;
  sync_cpu = cpu_self_s () - c0;
  n = g_list_model_get_n_items (G_LIST_MODEL (cache));
  if (n != pods)
    g_error ("synced %u of %u pods", n, pods);
  report ("sync_seconds", sync_s, "s");
  report ("sync_cpu_seconds", sync_cpu, "s");
  report ("sync_pods_per_second", n / sync_s, "pods/s");
  report ("peak_rss", status_kb ("VmHWM:") / 1024.0, "MiB");

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PhObject) obj = g_list_model_get_item (G_LIST_MODEL (cache), i);
      json_bytes += g_bytes_get_size (ph_object_get_json (obj));
    }
  malloc_trim (0);
  heap1 = heap_in_use ();
  report ("json_bytes", json_bytes / 1048576.0, "MiB");
  report ("json_bytes_per_pod", (double) json_bytes / n, "B");
  report ("cache_heap", (heap1 - heap0) / 1048576.0, "MiB");
  report ("cache_heap_over_json", (double) (heap1 - heap0) / json_bytes, "x");
  report ("rss_after_sync", status_kb ("VmRSS:") / 1024.0, "MiB");

  if (with_kubectl)
    {
      const char *argv_get[] = { "kubectl", "--kubeconfig", kubeconfig, "get", "pods", "-A", "-o", "name", NULL };
      g_autoptr(GSubprocess) kubectl = NULL;
      double k0 = now_s ();

      kubectl = g_subprocess_newv (argv_get, G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
      g_assert_no_error (error);
      g_subprocess_wait (kubectl, NULL, &error);
      g_assert_no_error (error);
      report ("kubectl_get_seconds", now_s () - k0, "s");
      report ("sync_speedup_vs_kubectl", (now_s () - k0) / sync_s, "x");
    }

  /* 2 + 3. Sustained churn, consumed by both. */
  {
    g_autoptr(GSubprocess) kubectl = NULL;
    LineCounter lc = { NULL, 0 };
    GPid kpid = 0;
    double kcpu0 = 0, kcpu1 = 0;
    guint klines0 = 0, klines1 = 0;
    guint64 ev0, ev1;
    double w0, w1, pc0, pc1;

    if (with_kubectl)
      {
        g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
        LinesAtLeast initial = { &lc, kubectl_out, pods };
        const char *argv_watch[] = { "kubectl", "--kubeconfig", kubeconfig, "get", "pods", "-A", "-w",
                                     "-o", "name", NULL };

        g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
        g_subprocess_launcher_set_stdout_file_path (launcher, kubectl_out);
        kubectl = g_subprocess_launcher_spawnv (launcher, argv_watch, &error);
        g_assert_no_error (error);
        kpid = atoi (g_subprocess_get_identifier (kubectl));
        /* Wait for kubectl's initial list before measuring its events. */
        spin_until (lines_at_least, &initial, 600);
        klines0 = count_lines (&lc, kubectl_out);
        kcpu0 = cpu_of_pid (kpid);
        report ("kubectl_watch_initial_lines", klines0, "lines");
      }

    ev0 = ph_list_cache_get_n_events (cache);
    w0 = now_s ();
    pc0 = cpu_self_s ();
    control (url, "{\"action\": \"churn\", \"rate\": 5000}");
    spin_until (never, NULL, churn_s);
    control (url, "{\"action\": \"churn\", \"rate\": 0}");
    ev1 = ph_list_cache_get_n_events (cache);
    w1 = now_s ();
    pc1 = cpu_self_s ();
    if (with_kubectl)
      {
        klines1 = count_lines (&lc, kubectl_out);
        kcpu1 = cpu_of_pid (kpid);
        g_subprocess_force_exit (kubectl);
        g_subprocess_wait (kubectl, NULL, NULL);
      }
    line_counter_clear (&lc);

    report ("churn_events_applied", ev1 - ev0, "events");
    report ("churn_events_per_second_wall", (ev1 - ev0) / (w1 - w0), "events/s");
    report ("churn_cpu_seconds", pc1 - pc0, "s");
    report ("churn_events_per_cpu_second", (ev1 - ev0) / MAX (pc1 - pc0, 1e-6), "events/s");
    if (with_kubectl)
      {
        double kps = (klines1 - klines0) / MAX (kcpu1 - kcpu0, 1e-6);
        double pps = (ev1 - ev0) / MAX (pc1 - pc0, 1e-6);

        report ("kubectl_watch_events", klines1 - klines0, "events");
        report ("kubectl_watch_cpu_seconds", kcpu1 - kcpu0, "s");
        report ("kubectl_watch_events_per_cpu_second", kps, "events/s");
        report ("porthole_over_kubectl_events_per_cpu_second", pps / MAX (kps, 1e-6), "x");
      }
  }

  /* 2b. A burst: the server makes BENCH_BURST changes at once and both
   * clients drain the backlog as fast as they can, so this measures
   * their throughput rather than the server's pace. */
  {
    g_autoptr(GSubprocess) kubectl = NULL;
    LineCounter lc = { NULL, 0 };
    g_autofree char *steps = g_strdup_printf ("{\"action\": \"churn-steps\", \"n\": %s}",
                                              g_getenv ("BENCH_BURST") ? g_getenv ("BENCH_BURST") : "20000");
    GPid kpid = 0;
    double kcpu0 = 0, w0, pc0, w_last, pc_last;
    guint klines0 = 0, klines_last = 0;
    double k_last_change = 0, kcpu_last = 0;
    guint64 ev0, ev_last;
    double last_change;

    if (with_kubectl)
      {
        g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
        LinesAtLeast initial = { &lc, kubectl_out, 1 };
        const char *argv_watch[] = { "kubectl", "--kubeconfig", kubeconfig, "get", "pods", "-A", "-w",
                                     "-o", "name", NULL };

        g_unlink (kubectl_out);
        g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
        g_subprocess_launcher_set_stdout_file_path (launcher, kubectl_out);
        kubectl = g_subprocess_launcher_spawnv (launcher, argv_watch, &error);
        g_assert_no_error (error);
        kpid = atoi (g_subprocess_get_identifier (kubectl));
        spin_until (lines_at_least, &initial, 600);
        /* The initial list is out when the output stops growing. */
        for (guint prev = 0; prev != count_lines (&lc, kubectl_out); )
          {
            prev = count_lines (&lc, kubectl_out);
            spin_until (never, NULL, 2);
          }
        klines0 = klines_last = count_lines (&lc, kubectl_out);
        report ("kubectl_watch_initial_lines_2", klines0, "lines");
        report ("cache_items", g_list_model_get_n_items (G_LIST_MODEL (cache)), "pods");
        kcpu0 = kcpu_last = cpu_of_pid (kpid);
      }

    ev0 = ev_last = ph_list_cache_get_n_events (cache);
    w0 = now_s ();
    pc0 = cpu_self_s ();
    w_last = w0;
    pc_last = pc0;
    control (url, steps);
    last_change = k_last_change = now_s ();
    /* Done when neither client has seen anything new for 3 s. */
    while (now_s () - MAX (last_change, k_last_change) < 3)
      {
        guint64 ev;

        spin_until (never, NULL, 0.1);
        ev = ph_list_cache_get_n_events (cache);
        if (ev != ev_last)
          {
            ev_last = ev;
            last_change = w_last = now_s ();
            pc_last = cpu_self_s ();
          }
        if (with_kubectl)
          {
            guint kl = count_lines (&lc, kubectl_out);

            if (kl != klines_last)
              {
                klines_last = kl;
                k_last_change = now_s ();
                kcpu_last = cpu_of_pid (kpid);
              }
          }
      }
    if (with_kubectl)
      {
        g_subprocess_force_exit (kubectl);
        g_subprocess_wait (kubectl, NULL, NULL);
      }
    line_counter_clear (&lc);

    report ("burst_events", ev_last - ev0, "events");
    report ("burst_seconds", w_last - w0, "s");
    report ("burst_events_per_second_wall", (ev_last - ev0) / MAX (w_last - w0, 1e-6), "events/s");
    report ("burst_cpu_seconds", pc_last - pc0, "s");
    report ("burst_events_per_cpu_second", (ev_last - ev0) / MAX (pc_last - pc0, 1e-6), "events/s");
    if (with_kubectl)
      {
        double kps = (klines_last - klines0) / MAX (kcpu_last - kcpu0, 1e-6);
        double pps = (ev_last - ev0) / MAX (pc_last - pc0, 1e-6);

        report ("kubectl_burst_events", klines_last - klines0, "events");
        report ("kubectl_burst_seconds", k_last_change - w0, "s");
        report ("kubectl_burst_cpu_seconds", kcpu_last - kcpu0, "s");
        report ("kubectl_burst_events_per_cpu_second", kps, "events/s");
        report ("porthole_over_kubectl_burst_events_per_cpu_second", pps / MAX (kps, 1e-6), "x");
      }
  }

  /* 5. The apply path alone: parse + apply + notify, from memory. */
  {
    g_autoptr(GString) events = make_modified_events (cache, 20000);
    guint64 before = ph_list_cache_get_n_events (cache);
    double a0 = now_s (), ac0 = cpu_self_s ();
    gsize off = 0;

    /* In blocks as a stream would bring them. */
    while (off < events->len)
      {
        const char *start = events->str + off;
        const char *limit = events->str + MIN (off + 256 * 1024, events->len);
        const char *nl = limit;

        while (nl < events->str + events->len && *nl != '\n')
          nl++;
        if (nl < events->str + events->len)
          nl++;
        if (!ph_list_cache_feed_watch_data (cache, start, nl - start, &error))
          g_error ("feeding events: %s", error->message);
        off = nl - events->str;
      }
    report ("apply_events", ph_list_cache_get_n_events (cache) - before, "events");
    report ("apply_events_per_second", (ph_list_cache_get_n_events (cache) - before) / (now_s () - a0), "events/s");
    report ("apply_events_per_cpu_second",
            (ph_list_cache_get_n_events (cache) - before) / MAX (cpu_self_s () - ac0, 1e-6), "events/s");
  }

  ph_watch_hub_release (hub, cache);
  g_object_unref (cache);

  /* 6. Initial sync with paged LISTs (limit=500 + continue), the
   * fallback for servers without streaming lists; last, after the
   * other cache is gone, so that its memory does not add up. */
  {
    g_autoptr(PhWatchHub) paged_hub = ph_watch_hub_new (PH_WATCH_STRATEGY_MULTIPLEXED);
    PhListCache *paged;

    g_object_set (paged_hub, "streaming-list", FALSE, NULL);
    t0 = now_s ();
    c0 = cpu_self_s ();
    paged = ph_watch_hub_acquire (paged_hub, query);
    spin_until (is_live, paged, 600);
    report ("paged_sync_seconds", now_s () - t0, "s");
    report ("paged_sync_cpu_seconds", cpu_self_s () - c0, "s");
    report ("paged_sync_pods", g_list_model_get_n_items (G_LIST_MODEL (paged)), "pods");
    ph_watch_hub_release (paged_hub, paged);
    g_object_unref (paged);
  }


  g_output_stream_close (g_subprocess_get_stdin_pipe (sim), NULL, NULL);
  g_subprocess_send_signal (sim, SIGTERM);
  g_subprocess_wait (sim, NULL, NULL);
  g_unlink (kubeconfig);
  g_unlink (kubectl_out);
  g_rmdir (tmpdir);
  return 0;
}
