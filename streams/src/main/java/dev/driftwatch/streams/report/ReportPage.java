package dev.driftwatch.streams.report;

/**
 * The frame of a self-contained HTML report: inline CSS and a small inline script (sorting tables,
 * opening a feature's charts, checking the page); nothing is fetched from the network.
 *
 * <p>The script records any script error or {@code console.error} in the page title ({@code ERROR: …}) and,
 * once the page has loaded, checks that every chart drew something (an SVG with elements, and a non-empty
 * box when it is shown) and sets the title to {@code driftwatch report: N charts}; a headless browser
 * reads the title to check the page.
 */
public final class ReportPage {
    private static final String SCRIPT = """
            window.onerror=function(m,s,l){document.title='ERROR: '+m+' at line '+l;return false;};
            (function(){var e=console.error;console.error=function(){document.title='ERROR: console: '
              +Array.prototype.join.call(arguments,' ');return e.apply(console,arguments);};})();
            window.addEventListener('load',function(){
              var c=document.querySelectorAll('svg.chart'),empty=0;
              for(var i=0;i<c.length;i++){var shown=c[i].getClientRects().length>0,b=shown?c[i].getBBox():null;
                if(c[i].childElementCount===0||(shown&&(b.width===0||b.height===0))){empty++;}}
              if(document.title.indexOf('ERROR')!==0){document.title=empty?('ERROR: '+empty+' empty charts')
                :('driftwatch report: '+c.length+' charts');}
            });
            function toggle(id){var e=document.getElementById(id);e.hidden=!e.hidden;}
            function openRow(tr){var d=tr.nextElementSibling;d.hidden=!d.hidden;
              tr.setAttribute('aria-expanded',String(!d.hidden));}
            function sortBy(th){
              var table=th.closest('table'),body=table.tBodies[0],head=th.parentNode.children;
              var col=Array.prototype.indexOf.call(head,th),numeric=th.dataset.type==='number';
              var dir=th.getAttribute('aria-sort')===(numeric?'descending':'ascending')?-1:1;
              if(numeric){dir=-dir;}
              for(var i=0;i<head.length;i++){head[i].removeAttribute('aria-sort');}
              th.setAttribute('aria-sort',dir>0?'ascending':'descending');
              var rows=[],trs=body.querySelectorAll('tr.row');
              for(var j=0;j<trs.length;j++){rows.push([trs[j],trs[j].nextElementSibling]);}
              function key(r){var c=r[0].cells[col],v=c.dataset.sort!==undefined?c.dataset.sort:c.textContent;
                return numeric?(v===''?-Infinity:parseFloat(v)):v.toLowerCase();}
              rows.sort(function(a,b){var x=key(a),y=key(b);return x<y?-dir:x>y?dir:0;});
              rows.forEach(function(r){body.appendChild(r[0]);body.appendChild(r[1]);});
            }
            """;
    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#222;background:#fff;max-width:1280px}
            h1{font-size:22px;margin-bottom:4px}h2{font-size:18px;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:32px}
            h3{font-size:15px;margin:18px 0 6px}.sub{color:#555;margin-top:0}
            table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}
            th{background:#f4f4f4}td.num{text-align:right;font-variant-numeric:tabular-nums}
            table.features th{cursor:pointer;user-select:none;white-space:nowrap}
            table.features th[aria-sort=ascending]::after{content:' \\25B2'}table.features th[aria-sort=descending]::after{content:' \\25BC'}
            tr.row{cursor:pointer}tr.row:hover{background:#f6f9fc}tr.row td:first-child::before{content:'\\25B8  ';color:#888}
            tr.row[aria-expanded=true] td:first-child::before{content:'\\25BE  '}
            tr.detail>td{background:#fcfcfc;padding:10px}.charts{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}
            td.yes,td.no,td.test{white-space:nowrap}.yes{color:#c0392b;font-weight:600}.no{color:#2e7d32}.firing{color:#c0392b;font-weight:600}.resolved{color:#2e7d32;font-weight:600}
            .na{color:#777;font-style:italic}.drift{background:#fdecea}
            .verdict{border:1px solid #ddd;border-left:6px solid #2e7d32;border-radius:4px;padding:10px 16px;margin:12px 0;background:#f7fbf7}
            .verdict.drifted{border-left-color:#c0392b;background:#fdf3f2}.verdict.partial{border-left-color:#e69f00;background:#fffaf0}
            .verdict h2{border:0;margin:0 0 6px;font-size:19px}.verdict .figures{display:flex;gap:28px;flex-wrap:wrap;margin:6px 0}
            .verdict .figure b{display:block;font-size:22px}.verdict .figure{font-size:12px;color:#555}
            .legend span{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}
            dl.glossary dt{font-weight:600;margin-top:8px}dl.glossary dd{margin-left:16px;max-width:900px}
            svg text{font-size:11px;fill:#333}svg text.title{font-size:12px;font-weight:600}svg text.axis{fill:#777}
            button{font-size:12px}code{font-size:12px}
            """;

    private ReportPage() {
    }

    /** The page up to and including {@code <body>} and the report's heading. */
    public static void begin(StringBuilder h, String heading, String subtitle) {
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<title>driftwatch report</title>\n<script>\n").append(SCRIPT).append("</script>\n<style>\n")
                .append(STYLE).append("</style></head><body>\n<h1>").append(esc(heading)).append("</h1>\n")
                .append("<p class=\"sub\">").append(esc(subtitle)).append("</p>\n");
    }

    /** Closes the page. */
    public static void end(StringBuilder h) {
        h.append("</body></html>\n");
    }

    /** {@code s} escaped for HTML text and attribute values; "" for null. */
    public static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
