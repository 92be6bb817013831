// Runs EPUBCheck (Debian's /usr/share/java/epubcheck.jar, on the class path) on each EPUB named
// on the command line, one after the other in this one Java process: a Java process of its own
// per file cost about 4 CPU-s each to start and to load EPUBCheck's schemas, most of the release
// suite's longest test (tests/test_read_along.cpp). Java runs this file from source.
//
// Output, per file: a line "epubcheck-file: FILE", EPUBCheck's messages on it (quiet: warnings
// and errors only), then a line "epubcheck-exit: CODE" (0 when it found nothing).
import com.adobe.epubcheck.tool.EpubChecker;

public class EpubcheckFiles {
  public static void main(String[] files) {
    for (String file : files) {
      System.out.println("epubcheck-file: " + file);
      System.out.flush();
      int code = new EpubChecker().run(new String[] {file, "-q"});
      System.err.flush();
      System.out.println("epubcheck-exit: " + code);
      System.out.flush();
    }
  }
}
