package io.finhub;
public final class App { public static void main(String[] args) {} }
