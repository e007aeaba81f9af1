// Exchange 2007 and 2010 logon pages. No full capture of either was available, so these are
// synthesised from the markers the fingerprint looks for (src/fingerprint/extract/logon-page.ts,
// asset-paths.ts; docs/verdicts.md "Is it Exchange at all?"): titles, `owaLgnBdy`, 4-part asset paths /owa/<build>/themes/…, the OwaPage comment and
// GUID, the auth.owa / owaauth.dll forms. `DESTINATION` marks where the host's URL goes.

export const DESTINATION = '\u0000destination\u0000';

/** Exchange 2010 (14.x) "Outlook Web App" logon page. */
export function logonPage2010(build: string): string {
  const r = `/owa/${build}/themes/resources`;
  return `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<!-- Copyright (c) 2006 Microsoft Corporation.  All rights reserved. -->
<!-- OwaPage = ASP.auth_logon_aspx -->

<!-- {57A118C6-2DA9-419d-BE9A-F92B0F9A418B} -->
<html>
<head>
<meta http-equiv="X-UA-Compatible" content="IE=EmulateIE7">
<meta http-equiv="Content-Type" content="text/html; CHARSET=utf-8">
<meta name="Robots" content="NOINDEX, NOFOLLOW">
<title>Outlook Web App</title>
<link type="text/css" rel="stylesheet" href="${r}/logon.css">
<link type="text/css" rel="stylesheet" href="${r}/owafont_en.css">
<script type="text/javascript" src="/owa/${build}/scripts/premium/flogon.js"></script>
<link rel="shortcut icon" href="${r}/favicon.ico" type="image/x-icon">
<script type="text/javascript">
	var a_fRC = 1;
	var g_fFcs = 1;
	var a_fLOff = 0;
	var a_fCAC = 0;
	var a_fEnbSMm = 1;
/// <summary>
/// Is Mime Control installed?
/// </summary>
function IsMimeCtlInst(progid)
{
	if (!a_fEnbSMm)
		return false;
	var oMimeVer = null;
	try
	{
		oMimeVer = new ActiveXObject(progid);
	}
	catch (e)
	{
	}
	return oMimeVer != null;
}
/// <summary>
/// Render out the S-MIME control if it is installed
/// </summary>
function RndMimeCtl()
{
	if (IsMimeCtlInst("OwaSMime2.MimeCtlVer"))
		RndMimeCtlHlpr("MimeNSe2k9", "4F40839A-C1E5-47E3-804D-A2A17F42DA21", "MIMEe2k9", "mimeLogoffE2k9");
}
function RndMimeCtlHlpr(nameSpace, clsid, ctlName, imprtNm)
{
	document.write("<?import namespace=\\"" + nameSpace + "\\" implementation=\\"#default#" + ctlName + "\\">");
	document.write("<" + nameSpace + ":" + imprtNm + " id=\\"" + imprtNm + "\\" style=\\"display:none\\"></" + nameSpace + ":" + imprtNm + ">");
}
</script>
</head>
<body class="owaLgnBdy">
<noscript>
	<div id="dvErr">
		<table cellpadding="0" cellspacing="0">
		<tr>
			<td><img src="${r}/warn.png" alt=""></td>
			<td style="width:100%">To use Outlook Web App, browser settings must allow scripts to run. For information about how to allow scripts, consult the Help for your browser. If your browser doesn&#39;t support scripts, you can download <a href="http://www.microsoft.com/windows/ie/downloads/default.mspx">Windows Internet Explorer</a> for access to Outlook Web App.</td>
		</tr>
		</table>
	</div>
</noscript>
<form action="/owa/auth.owa" method="POST" name="logonForm" autocomplete="off">
<input type="hidden" name="destination" value="${DESTINATION}">
<input type="hidden" name="flags" value="0">
<input type="hidden" name="forcedownlevel" value="0">
<table id="tblMain" class="mid" cellpadding="0" cellspacing="0">
	<tr>
		<td id="mdLft" rowspan="3"><img src="${r}/lgnleft.gif" alt=""></td>
		<td id="mdMid">
			<table class="mid" cellpadding="0" cellspacing="0">
			<tr><td id="lgnLgo" class="nowrap"><img src="${r}/lgnexlogo.gif" alt="Outlook Web App"></td></tr>
			<tr><td class="lgnTpl"><img src="${r}/clear1x1.gif" alt=""></td></tr>
			<tr><td>
				<table cellpadding="0" cellspacing="0" class="mid">
				<tr><td class="nowrap">Security&nbsp;(<a href="#" id="lnkShwSec" onclick="shwSec()">show explanation</a>)</td></tr>
				<tr><td><input id="rdoPblc" type="radio" name="trusted" value="0" class="rdo" onclick="clkSec()" checked><label for="rdoPblc">This is a public or shared computer</label></td></tr>
				<tr><td><input id="rdoPrvt" type="radio" name="trusted" value="4" class="rdo" onclick="clkSec()"><label for="rdoPrvt">This is a private computer</label></td></tr>
				<tr><td><input id="chkBsc" type="checkbox" class="rdo" onclick="clkBsc();"><label for="chkBsc">Use the light version of Outlook Web App</label></td></tr>
				<tr><td class="nowrap"><label for="username">Domain\\user name:</label></td></tr>
				<tr><td class="txtpad"><input id="username" name="username" type="text" class="txt"></td></tr>
				<tr><td class="nowrap"><label for="password">Password:</label></td></tr>
				<tr><td class="txtpad"><input id="password" onfocus="g_fFcs=0" name="password" type="password" class="txt"></td></tr>
				<tr><td class="txtpad"><input type="submit" class="btn" value="Sign in" onclick="clkLgn()" onmouseover="this.className='btnOnMseOvr'" onmouseout="this.className='btn'" onmousedown="this.className='btnOnMseDwn'"></td></tr>
				</table>
			</td></tr>
			<tr><td id="lgnCpy">Connected to Microsoft Exchange<br>&copy; 2010 Microsoft Corporation. All rights reserved.</td></tr>
			</table>
		</td>
		<td id="mdRt" rowspan="3"><img src="${r}/lgnright.gif" alt=""></td>
	</tr>
</table>
</form>
</body>
</html>
`;
}

/** Exchange 2007 (8.x) "Outlook Web Access" logon page. */
export function logonPage2007(build: string): string {
  const b = `/owa/${build}/themes/base`;
  return `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<!-- Copyright (c) 2006 Microsoft Corporation.  All rights reserved. -->
<!-- OwaPage = ASP.auth_logon_aspx -->

<!-- {57A118C6-2DA9-419d-BE9A-F92B0F9A418B} -->
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; CHARSET=utf-8">
<meta name="Robots" content="NOINDEX, NOFOLLOW">
<title>Microsoft Exchange - Outlook Web Access</title>
<link type="text/css" rel="stylesheet" href="${b}/logon.css">
<link rel="shortcut icon" href="${b}/favicon.ico" type="image/x-icon">
<script type="text/javascript" src="/owa/${build}/scripts/premium/flogon.js"></script>
<script type="text/javascript">
	var a_fRC = 1;
	var g_fFcs = 1;
	var a_fLOff = 0;
	var a_fCAC = 0;
</script>
</head>
<body class="lgnbg" onload="ldLgn()">
<noscript>
	<div id="dvErr">
		<table cellpadding="0" cellspacing="0">
		<tr>
			<td><img src="${b}/warn.png" alt=""></td>
			<td style="width:100%">To use Outlook Web Access, browser settings must allow scripts to run. For information about how to allow scripts, consult the Help for your browser.</td>
		</tr>
		</table>
	</div>
</noscript>
<form action="owaauth.dll" method="POST" name="logonForm" autocomplete="off">
<input type="hidden" name="destination" value="${DESTINATION}">
<input type="hidden" name="flags" value="0">
<input type="hidden" name="forcedownlevel" value="0">
<table id="tblMain" cellpadding="0" cellspacing="0">
	<tr>
		<td><img src="${b}/lgntopl.gif" alt=""></td>
		<td class="lgnTM"><img src="${b}/lgntopm.gif" alt=""></td>
		<td><img src="${b}/lgntopr.gif" alt=""></td>
	</tr>
	<tr>
		<td class="lgnLM"><img src="${b}/clear1x1.gif" alt=""></td>
		<td>
			<table class="mid" cellpadding="0" cellspacing="0">
			<tr><td class="lgnTtl">Microsoft<sup>&reg;</sup> Office Outlook<sup>&reg;</sup> Web Access</td></tr>
			<tr><td class="nowrap">Security&nbsp;(<a href="#" id="lnkShwSec" onclick="shwSec()">show explanation</a>)</td></tr>
			<tr><td><input id="rdoPblc" type="radio" name="trusted" value="0" class="rdo" checked><label for="rdoPblc">This is a public or shared computer</label></td></tr>
			<tr><td><input id="rdoPrvt" type="radio" name="trusted" value="4" class="rdo"><label for="rdoPrvt">This is a private computer</label></td></tr>
			<tr><td><input id="chkBsc" type="checkbox" class="rdo"><label for="chkBsc">Use Outlook Web Access Light</label></td></tr>
			<tr><td class="nowrap"><label for="username">Domain\\user name:</label></td></tr>
			<tr><td><input id="username" name="username" type="text" class="txt"></td></tr>
			<tr><td class="nowrap"><label for="password">Password:</label></td></tr>
			<tr><td><input id="password" name="password" type="password" class="txt"></td></tr>
			<tr><td><input type="submit" class="btn" value="Log On"></td></tr>
			<tr><td class="lgnCpy">Connected to Microsoft Exchange<br>&copy; 2006 Microsoft Corporation. All rights reserved.</td></tr>
			</table>
		</td>
		<td class="lgnRM"><img src="${b}/clear1x1.gif" alt=""></td>
	</tr>
</table>
</form>
</body>
</html>
`;
}
