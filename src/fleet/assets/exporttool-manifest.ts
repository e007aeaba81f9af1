// The ECP eDiscovery export tool ClickOnce deployment manifest
// (/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application, ~16 kB).
// The three version-bearing lines are exactly the captured fragments
// (test/fixtures/captures/exporttool-manifest-fragment-{A,B,C}, described in the README there) with version and token substituted; the digests,
// signature and certificate blobs around them are deterministic filler of realistic size.
import { pseudoRandomBytes } from '../prng.js';

function blob(seed: string, bytes: number): string {
  return pseudoRandomBytes(seed, bytes).toString('base64');
}

function wrap(base64: string, width = 76): string {
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += width) lines.push(base64.slice(i, i + width));
  return lines.join('\n');
}

export function exporttoolManifest(version: string, token: string): string {
  const seed = `${version}/${token}`;
  const app = 'microsoft.exchange.ediscovery.exporttool.application';
  return `<?xml version="1.0" encoding="utf-8"?>
<asmv1:assembly xsi:schemaLocation="urn:schemas-microsoft-com:asm.v1 assembly.adaptive.xsd" manifestVersion="1.0" xmlns:asmv1="urn:schemas-microsoft-com:asm.v1" xmlns="urn:schemas-microsoft-com:asm.v2" xmlns:asmv2="urn:schemas-microsoft-com:asm.v2" xmlns:xrml="urn:mpeg:mpeg21:2003:01-REL-R-NS" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:asmv3="urn:schemas-microsoft-com:asm.v3" xmlns:dsig="http://www.w3.org/2000/09/xmldsig#" xmlns:co.v1="urn:schemas-microsoft-com:clickonce.v1" xmlns:co.v2="urn:schemas-microsoft-com:clickonce.v2">
 <assemblyIdentity xmlns="urn:schemas-microsoft-com:asm.v1" name="${app}" version="${version}" publicKeyToken="${token}" language="neutral" processorArchitecture="msil"/>
 <description xmlns="urn:schemas-microsoft-com:asm.v1" asmv2:publisher="Microsoft Corporation" asmv2:product="Microsoft Exchange eDiscovery Export Tool"/>
 <deployment install="false" trustURLParameters="true" mapFileExtensions="true" co.v1:createDesktopShortcut="false"/>
 <compatibleProviders xmlns="urn:schemas-microsoft-com:clickonce.v2">
  <framework targetVersion="4.5" profile="Full" supportedRuntime="4.0.30319"/>
 </compatibleProviders>
 <dependency>
  <dependentAssembly dependencyType="install" codebase="microsoft.exchange.ediscovery.exporttool.exe.manifest" size="${String(21000 + (pseudoRandomBytes(seed, 2).readUInt16BE(0) % 4000))}">
 <assemblyIdentity name="microsoft.exchange.ediscovery.exporttool" version="${version}" publicKeyToken="${token}" language="neutral" processorArchitecture="msil" type="win32"/>
   <hash>
    <dsig:Transforms>
     <dsig:Transform Algorithm="urn:schemas-microsoft-com:HashTransforms.Identity"/>
    </dsig:Transforms>
    <dsig:DigestMethod Algorithm="http://www.w3.org/2000/09/xmldsig#sha256"/>
    <dsig:DigestValue>${blob(`${seed}/dep`, 32)}</dsig:DigestValue>
   </hash>
  </dependentAssembly>
 </dependency>
 <publisherIdentity name="CN=Microsoft Corporation, O=Microsoft Corporation, L=Redmond, S=Washington, C=US" issuerKeyHash="${pseudoRandomBytes(`${seed}/ikh`, 20).toString('hex')}"/>
 <Signature xmlns="http://www.w3.org/2000/09/xmldsig#" Id="StrongNameSignature">
  <SignedInfo>
   <CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
   <SignatureMethod Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha256"/>
   <Reference URI="">
    <Transforms>
     <Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>
     <Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
    </Transforms>
    <DigestMethod Algorithm="http://www.w3.org/2000/09/xmldsig#sha256"/>
    <DigestValue>${blob(`${seed}/ref`, 32)}</DigestValue>
   </Reference>
  </SignedInfo>
  <SignatureValue>${blob(`${seed}/sig`, 256)}</SignatureValue>
  <KeyInfo Id="StrongNameKeyInfo">
   <KeyValue>
    <RSAKeyValue>
     <Modulus>${blob(`${seed}/mod`, 256)}</Modulus>
     <Exponent>AQAB</Exponent>
    </RSAKeyValue>
   </KeyValue>
   <msrel:RelData xmlns:msrel="http://schemas.microsoft.com/windows/rel/2005/reldata">
    <r:license xmlns:r="urn:mpeg:mpeg21:2003:01-REL-R-NS" xmlns:as="http://schemas.microsoft.com/windows/pki/2005/Authenticode">
     <r:grant>
      <as:ManifestInformation Hash="${pseudoRandomBytes(`${seed}/mi`, 32).toString('hex')}" Description="" Url="">
 <as:assemblyIdentity xmlns="urn:schemas-microsoft-com:asm.v1" name="${app}" version="${version}" publicKeyToken="${token}" language="neutral" processorArchitecture="msil"/>
      </as:ManifestInformation>
      <as:SignedBy/>
      <as:AuthenticodePublisher>
       <as:X509SubjectName>CN=Microsoft Corporation, O=Microsoft Corporation, L=Redmond, S=Washington, C=US</as:X509SubjectName>
      </as:AuthenticodePublisher>
     </r:grant>
     <r:issuer>
      <Signature xmlns="http://www.w3.org/2000/09/xmldsig#" Id="AuthenticodeSignature">
       <SignedInfo>
        <CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
        <SignatureMethod Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha256"/>
        <Reference URI="">
         <DigestMethod Algorithm="http://www.w3.org/2000/09/xmldsig#sha256"/>
         <DigestValue>${blob(`${seed}/aref`, 32)}</DigestValue>
        </Reference>
       </SignedInfo>
       <SignatureValue>${blob(`${seed}/asig`, 256)}</SignatureValue>
       <KeyInfo>
        <X509Data>
         <X509Certificate>
${wrap(blob(`${seed}/cert1`, 2600))}
         </X509Certificate>
         <X509Certificate>
${wrap(blob(`${seed}/cert2`, 2750))}
         </X509Certificate>
         <X509Certificate>
${wrap(blob(`${seed}/cert3`, 1600))}
         </X509Certificate>
        </X509Data>
       </KeyInfo>
      </Signature>
     </r:issuer>
    </r:license>
   </msrel:RelData>
  </KeyInfo>
 </Signature>
</asmv1:assembly>
`;
}
