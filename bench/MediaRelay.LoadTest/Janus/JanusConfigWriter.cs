using System.Globalization;

namespace MediaRelay.LoadTest.Janus;

/// <summary>
/// Writes the three libconfig (.jcfg) files Janus needs, with every plugin, transport, event handler and logger
/// the load test does not use disabled. Values are the ones verified in docs/research/janus-videoroom.md.
/// </summary>
internal static class JanusConfigWriter
{
    private const string ModuleRoot = "/usr/lib/x86_64-linux-gnu/janus";

    private const string DisabledPlugins =
        "libjanus_audiobridge.so,libjanus_duktape.so,libjanus_echotest.so,libjanus_lua.so,libjanus_nosip.so," +
        "libjanus_recordplay.so,libjanus_sip.so,libjanus_streaming.so,libjanus_textroom.so,libjanus_videocall.so," +
        "libjanus_voicemail.so";

    private const string DisabledTransports =
        "libjanus_websockets.so,libjanus_mqtt.so,libjanus_nanomsg.so,libjanus_pfunix.so,libjanus_rabbitmq.so";

    private const string DisabledEventHandlers =
        "libjanus_gelfevh.so,libjanus_mqttevh.so,libjanus_nanomsgevh.so,libjanus_rabbitmqevh.so," +
        "libjanus_sampleevh.so,libjanus_wsevh.so";

    /// <summary>
    /// Writes the configs into <paramref name="etcDir"/> and returns the path of janus.jcfg. /info reports
    /// <paramref name="serverName"/>, which tells our Janus apart from another one already on the port.
    /// </summary>
    public static string Write(JanusOptions options, string etcDir, string serverName)
    {
        Directory.CreateDirectory(etcDir);
        string core = Path.Combine(etcDir, "janus.jcfg");
        File.WriteAllText(core, Core(options, etcDir, serverName));
        File.WriteAllText(Path.Combine(etcDir, "janus.transport.http.jcfg"), Http(options));
        File.WriteAllText(Path.Combine(etcDir, "janus.plugin.videoroom.jcfg"), VideoRoom());
        return core;
    }

    private static string Core(JanusOptions o, string etcDir, string serverName)
    {
        var inv = CultureInfo.InvariantCulture;
        string eventLoops = o.EventLoops > 0
            ? string.Create(inv, $"\tevent_loops = {o.EventLoops}")
            : string.Empty;
        return string.Create(inv, $$"""
            general: {
            	configs_folder = "{{etcDir}}"
            	plugins_folder = "{{ModuleRoot}}/plugins"
            	transports_folder = "{{ModuleRoot}}/transports"
            	events_folder = "{{ModuleRoot}}/events"
            	loggers_folder = "{{ModuleRoot}}/loggers"
            	debug_level = {{o.DebugLevel}}
            	server_name = "{{serverName}}"
            	session_timeout = 60
            {{eventLoops}}
            }
            certificates: {
            }
            media: {
            	ipv6 = false
            	rtp_port_range = "{{o.RtpPortRange}}"
            	no_media_timer = 5
            	slowlink_threshold = 0
            }
            nat: {
            	nice_debug = false
            	full_trickle = false
            	ice_lite = false
            	ice_tcp = false
            	ignore_mdns = true
            	ice_enforce_list = "{{o.Interface}}"
            }
            plugins: {
            	disable = "{{DisabledPlugins}}"
            }
            transports: {
            	disable = "{{DisabledTransports}}"
            }
            loggers: {
            	disable = "libjanus_jsonlog.so"
            }
            events: {
            	broadcast = false
            	disable = "{{DisabledEventHandlers}}"
            }

            """);
    }

    private static string Http(JanusOptions o) => string.Create(CultureInfo.InvariantCulture, $$"""
        general: {
        	json = "compact"
        	base_path = "/janus"
        	http = true
        	port = {{o.HttpPort}}
        	ip = "127.0.0.1"
        	https = false
        }
        admin: {
        	admin_http = false
        	admin_https = false
        }
        cors: {
        }
        certificates: {
        }

        """);

    private static string VideoRoom() => """
        general: {
        	string_ids = false
        }

        """;
}
